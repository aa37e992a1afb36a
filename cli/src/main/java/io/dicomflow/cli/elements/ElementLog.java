package io.dicomflow.cli.elements;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The one log file that all worker threads write to. Every line is written and flushed under one
 * lock, so lines from different threads never interleave, and a crash loses at most the line being
 * written. Lines look like {@code 2025-01-01T10:00:00.123Z [element-worker-2] processed key=1 ...}.
 */
public final class ElementLog implements Closeable {

    private final BufferedWriter writer;
    private final Clock clock;
    private IOException failure;

    private ElementLog(BufferedWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** A log writing nowhere, when no --log file is given. */
    public static ElementLog none() {
        return new ElementLog(null, Clock.systemUTC());
    }

    /** Creates (or empties) {@code file}. */
    public static ElementLog to(Path file) throws IOException {
        return new ElementLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    public void info(String message) {
        write("INFO", message);
    }

    public void warn(String message) {
        write("WARN", message);
    }

    private synchronized void write(String level, String message) {
        if (writer == null || failure != null) {
            return;
        }
        try {
            writer.write(Instant.now(clock) + " " + level + " [" + Thread.currentThread().getName() + "] " + message);
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            // Remembered and reported once by close(): a full disk must not kill the workers.
            failure = e;
        }
    }

    /** Closes the file; a write that failed earlier is reported here. */
    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("writing the log failed: " + failure.getMessage(), failure);
        }
    }
}
