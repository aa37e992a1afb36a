package io.dicomflow.cli.inspect;

import io.dicomflow.common.analysis.PixelStatistics;

/**
 * The pixel figures {@code inspect} reports (the histogram of {@link PixelStatistics} is left out).
 * Whole-number figures are kept as integers so that {@code min}/{@code max} print as {@code 0},
 * not {@code 0.0}.
 */
public record StatsView(long count, Number min, Number max, double mean, double std, double averageAfterNormalization) {

    static StatsView of(PixelStatistics s) {
        return new StatsView(s.count(), whole(s.min()), whole(s.max()), s.mean(), s.std(), s.averageAfterNormalization());
    }

    private static Number whole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 9e15 ? (Number) (long) value : (Number) value;
    }
}
