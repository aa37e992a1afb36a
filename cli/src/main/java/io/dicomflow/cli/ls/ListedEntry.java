package io.dicomflow.cli.ls;

/**
 * One entry of a folder listing.
 *
 * @param path path relative to the listed folder, with '/' separators (folders end with '/')
 * @param kind what the content is
 * @param size size in bytes, or -1 for folders and unreadable entries
 */
public record ListedEntry(String path, FileKind kind, long size) {
}
