package io.dicomflow.cli.upload;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ls.ContentSniffer;
import io.dicomflow.cli.ls.FileKind;

/**
 * The files an upload sends: each given file, and every file under each given folder at any depth,
 * kept when its content sniffs as DICOM (the same rule as {@code ls}; names and extensions are never
 * looked at). Links to folders are not followed (no cycles); a file reached twice is sent once.
 */
public final class DicomFiles {

    /**
     * @param files the DICOM files, folders' files sorted by path, in argument order
     * @param skipped files found but not sent (not DICOM, unreadable)
     */
    public record Selection(List<Path> files, List<Path> skipped) {
    }

    private final ContentSniffer sniffer;

    public DicomFiles(ContentSniffer sniffer) {
        this.sniffer = sniffer;
    }

    /** @throws CliException (exit code 2) when a path does not exist or a folder cannot be read */
    public Selection select(List<Path> paths) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw CliException.invalidInput("no such file or folder: " + path);
            }
            List<Path> found = Files.isDirectory(path) ? walk(path) : List.of(path);
            for (Path file : found) {
                if (!seen.add(file.toAbsolutePath().normalize())) {
                    continue;
                }
                (sniffer.sniff(file) == FileKind.DICOM ? files : skipped).add(file);
            }
        }
        return new Selection(List.copyOf(files), List.copyOf(skipped));
    }

    private static List<Path> walk(Path folder) {
        if (!Files.isReadable(folder)) {
            throw CliException.invalidInput("cannot read folder (permission denied): " + folder);
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(folder, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            // regular files, and links to regular files; never devices, pipes or links to folders
                            if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                                files.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            if (file.equals(folder)) {
                                throw CliException.invalidInput("cannot read folder " + folder + ": " + exc.getMessage());
                            }
                            files.add(file); // sniffed as UNREADABLE, reported as skipped
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw CliException.invalidInput("cannot read folder " + folder + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }
}
