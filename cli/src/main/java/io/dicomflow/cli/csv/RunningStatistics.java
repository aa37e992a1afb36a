package io.dicomflow.cli.csv;

/**
 * Count, mean, population variance, min and max of a stream of numbers in constant memory
 * (Welford's online algorithm: numerically stable, unlike summing squares).
 */
final class RunningStatistics {

    private long count;
    private double mean;
    private double sumOfSquaredDeviations;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void add(double value) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        sumOfSquaredDeviations += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    long count() {
        return count;
    }

    double mean() {
        return mean;
    }

    /** Population standard deviation (divided by N, as the brief asks), 0 for a single value. */
    double populationStd() {
        return count == 0 ? 0 : Math.sqrt(sumOfSquaredDeviations / count);
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }
}
