package io.dicomflow.cli.ls;

/** What an entry of a listed folder is, decided by its content (never by its file name). */
public enum FileKind {
    DICOM,
    CSV,
    JSON,
    OTHER,
    FOLDER,
    /** The entry could not be read (permissions, broken link, I/O error). */
    UNREADABLE
}
