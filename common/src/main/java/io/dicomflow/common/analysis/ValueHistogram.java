package io.dicomflow.common.analysis;

import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.ImagePixelModule;

/**
 * Collects a histogram while frames stream by, before min and max are known. Integer data of up to 16
 * stored bits is counted per exact value (at most 65536 counters) and rebinned at the end. Wider integer
 * and float data is counted per distinct value while there are at most 65536 of them; beyond that the
 * histogram is left out rather than approximated (a second pass over the file would be needed).
 */
final class ValueHistogram {
    private static final int MAX_DISTINCT = 1 << 16;

    private final long[] exact;
    private final long offset;
    private final java.util.HashMap<Double, long[]> distinct;

    private ValueHistogram(long[] exact, long offset, boolean distinct) {
        this.exact = exact;
        this.offset = offset;
        this.distinct = distinct ? new java.util.HashMap<>() : null;
    }

    static ValueHistogram forModule(ImagePixelModule m) {
        if (!m.floatPixels() && m.bitsStored() <= 16) {
            return new ValueHistogram(new long[1 << m.bitsStored()], m.signed() ? -(1L << (m.bitsStored() - 1)) : 0,
                    false);
        }
        return new ValueHistogram(null, 0, true);
    }

    /** Per-value counters for data of at most 16 stored bits, filled by the caller; null otherwise. */
    long[] exactCounts() {
        return exact;
    }

    /** The value counted by exactCounts()[0]. */
    int exactOffset() {
        return (int) offset;
    }

    void add(Frame f) {
        if (exact != null) {
            int[] v = f.ints();
            int n = f.count();
            int off = (int) offset;
            for (int i = 0; i < n; i++) {
                exact[v[i] - off]++;
            }
            return;
        }
        if (distinct == null || distinct.size() > MAX_DISTINCT) {
            return;
        }
        for (int i = 0; i < f.count(); i++) {
            distinct.computeIfAbsent(f.value(i), k -> new long[1])[0]++;
            if (distinct.size() > MAX_DISTINCT) {
                return;
            }
        }
    }

    /** The histogram in {@code bins} bins over [min, max], or null if the values were too varied to count. */
    Histogram toHistogram(double min, double max, int bins) {
        long[] counts = new long[bins];
        if (exact != null) {
            for (int i = 0; i < exact.length; i++) {
                if (exact[i] != 0) {
                    counts[Histogram.binOf(i + offset, min, max, bins)] += exact[i];
                }
            }
            return new Histogram(min, max, counts);
        }
        if (distinct == null || distinct.size() > MAX_DISTINCT) {
            return null;
        }
        distinct.forEach((v, c) -> counts[Histogram.binOf(v, min, max, bins)] += c[0]);
        return new Histogram(min, max, counts);
    }
}
