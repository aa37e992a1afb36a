package io.dicomflow.common.analysis;

import java.util.Optional;

/**
 * Figures over a set of values (pixels or the brief's "data" numbers).
 *
 * @param count                      number of values (the brief's {@code data_size})
 * @param min                        smallest value
 * @param max                        largest value
 * @param mean                       arithmetic mean ({@code average_before_normalization})
 * @param std                        population standard deviation (divided by count)
 * @param averageAfterNormalization  mean of value/max ({@code average_after_normalization}); see
 *                                   {@link #normalizedAverage(double, double, double)} for max &le; 0
 * @param histogram                  value histogram, when computed
 */
public record PixelStatistics(long count, double min, double max, double mean, double std,
                              double averageAfterNormalization, Optional<Histogram> histogram) {

    public PixelStatistics(long count, double min, double max, double mean, double std,
                           double averageAfterNormalization) {
        this(count, min, max, mean, std, averageAfterNormalization, Optional.empty());
    }

    /** Statistics of no values: count 0 and every figure 0 (no NaN, so the result is always valid JSON). */
    public static final PixelStatistics EMPTY = new PixelStatistics(0, 0, 0, 0, 0, 0);

    /**
     * The mean of value/max. For max &gt; 0 this is mean/max, as in the brief. Dividing by a maximum that
     * is zero is undefined and by a negative maximum flips the sign and leaves [-1, 1], so for max &le; 0
     * the values are divided by the largest magnitude, max(|min|, |max|), instead: the result stays in
     * [-1, 1] and keeps the sign of the data. All-zero data (largest magnitude 0) gives 0.
     */
    public static double normalizedAverage(double mean, double min, double max) {
        if (max > 0) {
            return mean / max;
        }
        double magnitude = Math.max(Math.abs(min), Math.abs(max));
        return magnitude == 0 ? 0.0 : mean / magnitude;
    }

    public PixelStatistics withHistogram(Histogram h) {
        return new PixelStatistics(count, min, max, mean, std, averageAfterNormalization, Optional.ofNullable(h));
    }
}
