package io.dicomflow.common.dicom.records;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where diagnosis updates are recorded: one line per change ({@link DiagnosisChange#toLine()}), appended to a
 * file and flushed before the change is made, under one lock, so concurrent updates never interleave and no
 * update goes unrecorded. The entries recorded through this instance are also kept, for callers that report
 * them. Lines hold user names, UIDs and hashes only.
 */
public final class DiagnosisAuditLog implements Closeable {

    private final Path file;
    private final Clock clock;
    private final List<DiagnosisChange> entries = new ArrayList<>();
    private BufferedWriter writer;
    private boolean closed;

    private DiagnosisAuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Appends to {@code file}, creating it (not its folder) with the first change: a refused update leaves no
     * empty log behind.
     */
    public static DiagnosisAuditLog appendingTo(Path file, Clock clock) {
        return new DiagnosisAuditLog(Objects.requireNonNull(file, "file"), clock);
    }

    /** Keeps the entries in memory only (tests, and callers that store them elsewhere). */
    public static DiagnosisAuditLog inMemory(Clock clock) {
        return new DiagnosisAuditLog(null, clock);
    }

    /**
     * Records a change; returns only once it is written. Throws (and records nothing) when it cannot be written,
     * so that the caller does not make the change.
     */
    synchronized DiagnosisChange record(String changedBy, String record, DiagnosisChange.Kind kind) {
        DiagnosisChange change = new DiagnosisChange(clock.instant(), changedBy, record, kind);
        if (closed) {
            throw new UncheckedIOException(new IOException("the diagnosis audit log is closed"));
        }
        if (file != null) {
            try {
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                }
                writer.write(change.toLine());
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the diagnosis audit log cannot be written: " + e.getMessage(), e);
            }
        }
        entries.add(change);
        return change;
    }

    /** The changes recorded through this instance, oldest first. */
    public synchronized List<DiagnosisChange> entries() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (writer != null) {
            writer.close();
        }
    }
}
