package io.dicomflow.common.analysis;

/**
 * Statistics of plain numeric arrays, e.g. the brief's "data" lines (Task 3.2/4): data_size, min, max,
 * average before and after normalisation, population standard deviation and a histogram.
 */
public final class NumericAnalysis {
    private NumericAnalysis() {
    }

    public static PixelStatistics of(long[] values) {
        return of(values, Histogram.DEFAULT_BINS);
    }

    /** Integer figures are exact (128-bit sums); values must stay within ±2^63 / count for the sum. */
    public static PixelStatistics of(long[] values, int bins) {
        IntegerAccumulator acc = new IntegerAccumulator();
        for (long v : values) {
            acc.add(v);
        }
        PixelStatistics stats = acc.statistics();
        if (values.length == 0) {
            return stats;
        }
        long[] counts = new long[bins];
        for (long v : values) {
            counts[Histogram.binOf(v, stats.min(), stats.max(), bins)]++;
        }
        return stats.withHistogram(new Histogram(stats.min(), stats.max(), counts));
    }

    public static PixelStatistics of(double[] values) {
        return of(values, Histogram.DEFAULT_BINS);
    }

    /** NaN values are rejected: they have no place in min/max/mean. */
    public static PixelStatistics of(double[] values, int bins) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN in data");
            }
        }
        DoubleAccumulator acc = new DoubleAccumulator();
        acc.addAll(values, values.length);
        PixelStatistics stats = acc.statistics();
        if (values.length == 0) {
            return stats;
        }
        long[] counts = new long[bins];
        for (double v : values) {
            counts[Histogram.binOf(v, stats.min(), stats.max(), bins)]++;
        }
        return stats.withHistogram(new Histogram(stats.min(), stats.max(), counts));
    }
}
