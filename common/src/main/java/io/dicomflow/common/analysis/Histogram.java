package io.dicomflow.common.analysis;

import java.util.Arrays;

/**
 * Counts of values in equal-width bins from {@code lower} to {@code upper}: bin i holds values v with
 * {@code lower + i*width <= v < lower + (i+1)*width}, and the last bin also holds {@code upper}.
 *
 * @param lower  the smallest value (the statistics' min)
 * @param upper  the largest value (the statistics' max)
 * @param counts one count per bin
 */
public record Histogram(double lower, double upper, long[] counts) {
    public static final int DEFAULT_BINS = 256;

    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public int bins() {
        return counts.length;
    }

    public double binWidth() {
        return (upper - lower) / counts.length;
    }

    /** Bin of a value, clamped to the range. */
    static int binOf(double v, double lower, double upper, int bins) {
        if (upper <= lower) {
            return 0;
        }
        int b = (int) ((v - lower) / (upper - lower) * bins);
        return b < 0 ? 0 : Math.min(b, bins - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.lower == lower && h.upper == upper && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lower) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[" + lower + ".." + upper + ", " + counts.length + " bins]";
    }
}
