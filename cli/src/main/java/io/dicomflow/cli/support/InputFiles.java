package io.dicomflow.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;

import io.dicomflow.cli.CliException;

/** The checks every command makes on its input file, with the same one-line messages. */
public final class InputFiles {

    private InputFiles() {
    }

    /** Fails with exit code 2 unless {@code file} is an existing, readable regular file. */
    public static Path requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw CliException.invalidInput("no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw CliException.invalidInput("is a folder, not a file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw CliException.invalidInput("cannot read file (permission denied): " + file);
        }
        return file;
    }
}
