package io.dicomflow.common.dicom;

import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.analysis.UnsupportedImageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the whole analysis of a file (as the worker and {@code inspect} do) and measures what it allocated on
 * the calling thread: the analysis of n bytes may allocate a fixed 8 MiB (read buffers, a thumbnail) plus 64
 * bytes per input byte (decoded values are 4-byte ints, 1-bit data packs 8 values a byte), so that header
 * fields alone (frame counts, sizes, lengths) cannot make a small file expensive.
 */
final class AllocationBudget {
    static final long FIXED = 8L << 20;
    static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationBudget() {
    }

    static long of(long fileBytes) {
        return FIXED + PER_INPUT_BYTE * fileBytes;
    }

    /**
     * What the analysis of a file holding data ended with.
     *
     * @param error     the typed error, or null when the analysis succeeded
     * @param allocated bytes allocated by this thread meanwhile
     * @param cpuNanos  CPU time of this thread meanwhile
     */
    record Outcome(Exception error, long allocated, long cpuNanos) {
    }

    /**
     * Analyses data written to file twice and reports the second run: the first loads (and under Jazzer,
     * instruments) the classes its code paths need, a one-time cost of the JVM, not of the file. Only the
     * typed errors are caught, anything else is a failure.
     */
    static Outcome analyse(ImageAnalyzer analyzer, byte[] data, Path file) throws IOException {
        Files.write(file, data);
        once(analyzer, file);
        return once(analyzer, file);
    }

    private static Outcome once(ImageAnalyzer analyzer, Path file) throws IOException {
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Exception error = null;
        try {
            analyzer.analyze(file);
        } catch (DicomParseException | UnsupportedImageException e) {
            error = e;
        }
        return new Outcome(error, THREADS.getCurrentThreadAllocatedBytes() - before,
                THREADS.getCurrentThreadCpuTime() - cpuBefore);
    }
}
