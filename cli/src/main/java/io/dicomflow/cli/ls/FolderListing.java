package io.dicomflow.cli.ls;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The result of listing a folder: its entries sorted by path, and counts per kind. */
public record FolderListing(String folder, boolean recursive, List<ListedEntry> entries) {

    public FolderListing {
        entries = List.copyOf(entries);
    }

    /** Entries that are not folders (files, links to files, unreadable entries). */
    public long fileCount() {
        return entries.stream().filter(e -> e.kind() != FileKind.FOLDER).count();
    }

    public long folderCount() {
        return entries.stream().filter(e -> e.kind() == FileKind.FOLDER).count();
    }

    /** Number of entries of each kind, every kind present (zero counts included). */
    public Map<FileKind, Long> countsByKind() {
        Map<FileKind, Long> counts = new EnumMap<>(FileKind.class);
        for (FileKind kind : FileKind.values()) {
            counts.put(kind, 0L);
        }
        entries.forEach(e -> counts.merge(e.kind(), 1L, Long::sum));
        return counts;
    }
}
