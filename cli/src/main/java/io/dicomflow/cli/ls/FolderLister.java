package io.dicomflow.cli.ls;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

import io.dicomflow.cli.CliException;

/**
 * Lists a folder (optionally its whole tree) and sniffs every file. Symbolic links are not
 * followed into folders, so a link cycle cannot make the walk endless; a link to a file is
 * sniffed through the link. An unreadable subfolder or file becomes an UNREADABLE entry instead of
 * failing the whole listing.
 */
public final class FolderLister {

    private final ContentSniffer sniffer;

    public FolderLister(ContentSniffer sniffer) {
        this.sniffer = sniffer;
    }

    public FolderListing list(Path folder, boolean recursive) {
        if (!Files.exists(folder)) {
            throw CliException.invalidInput("no such folder: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw CliException.invalidInput("not a folder: " + folder);
        }
        if (!Files.isReadable(folder)) {
            throw CliException.invalidInput("cannot read folder (permission denied): " + folder);
        }
        List<ListedEntry> entries = new ArrayList<>();
        int maxDepth = recursive ? Integer.MAX_VALUE : 1;
        try {
            Files.walkFileTree(folder, EnumSet.noneOf(java.nio.file.FileVisitOption.class), maxDepth,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(folder)) {
                                entries.add(new ListedEntry(relative(folder, dir) + "/", FileKind.FOLDER, -1));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            entries.add(entryFor(folder, file, attrs));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            if (file.equals(folder)) {
                                throw CliException.invalidInput("cannot read folder " + folder + ": " + exc.getMessage());
                            }
                            entries.add(new ListedEntry(relative(folder, file), FileKind.UNREADABLE, -1));
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (NoSuchFileException e) {
            throw CliException.invalidInput("no such folder: " + folder);
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read folder " + folder + ": " + e.getMessage());
        }
        entries.sort(Comparator.comparing(ListedEntry::path));
        return new FolderListing(folder.toString(), recursive, entries);
    }

    private ListedEntry entryFor(Path root, Path file, BasicFileAttributes attrs) {
        String path = relative(root, file);
        if (attrs.isDirectory()) {
            // Reached at the depth limit (non-recursive listing): a folder, not descended into.
            return new ListedEntry(path + "/", FileKind.FOLDER, -1);
        }
        if (attrs.isSymbolicLink()) {
            if (Files.isDirectory(file)) {
                return new ListedEntry(path + "/", FileKind.FOLDER, -1);
            }
            if (!Files.isRegularFile(file)) {
                return new ListedEntry(path, FileKind.UNREADABLE, -1);
            }
        } else if (!attrs.isRegularFile()) {
            // Devices, sockets, pipes: never opened (reading a FIFO would block the listing).
            return new ListedEntry(path, FileKind.OTHER, -1);
        }
        FileKind kind = sniffer.sniff(file);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        return new ListedEntry(path, kind, kind == FileKind.UNREADABLE ? -1 : size);
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }
}
