package io.dicomflow.common.analysis;

/**
 * Running figures of floating-point values. Each block of values is summarised with two passes (mean,
 * then squared deviations from it) and blocks are combined with the pairwise update of Chan, Golub and
 * LeVeque, which keeps the variance accurate where a one-pass sum of squares would cancel.
 */
final class DoubleAccumulator {
    long count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;

    void addAll(double[] values, int n) {
        if (n == 0) {
            return;
        }
        double sum = 0;
        double compensation = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            // Neumaier summation
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        double blockMean = (sum + compensation) / n;
        double blockM2 = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - blockMean;
            blockM2 += d * d;
        }
        combine(n, blockMean, blockM2, lo, hi);
    }

    private void combine(long n, double blockMean, double blockM2, double lo, double hi) {
        if (count == 0) {
            count = n;
            mean = blockMean;
            m2 = blockM2;
        } else {
            long total = count + n;
            double delta = blockMean - mean;
            mean += delta * n / total;
            m2 += blockM2 + delta * delta * ((double) count * n / total);
            count = total;
        }
        min = Math.min(min, lo);
        max = Math.max(max, hi);
    }

    void merge(DoubleAccumulator o) {
        if (o.count > 0) {
            combine(o.count, o.mean, o.m2, o.min, o.max);
        }
    }

    PixelStatistics statistics() {
        if (count == 0) {
            return PixelStatistics.EMPTY;
        }
        double std = Math.sqrt(Math.max(0, m2 / count));
        return new PixelStatistics(count, min, max, mean, std, PixelStatistics.normalizedAverage(mean, min, max));
    }
}
