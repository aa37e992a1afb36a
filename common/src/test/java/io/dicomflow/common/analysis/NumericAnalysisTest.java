package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The brief's figures for plain numbers, and the documented rule for a maximum of zero or below. */
class NumericAnalysisTest {
    @Test
    void briefFigures() {
        PixelStatistics s = NumericAnalysis.of(new long[] {10, 20, 30, 40});
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.max()).isEqualTo(40);
        assertThat(s.mean()).isEqualTo(25);
        assertThat(s.std()).isCloseTo(Math.sqrt(125), within(1e-12));
        assertThat(s.averageAfterNormalization()).isEqualTo(25.0 / 40);
        assertThat(s.histogram()).get().extracting(h -> h.counts().length).isEqualTo(Histogram.DEFAULT_BINS);
    }

    @Test
    void doublesAgreeWithLongs() {
        PixelStatistics l = NumericAnalysis.of(new long[] {3, 1, 4, 1, 5, 9, 2, 6});
        PixelStatistics d = NumericAnalysis.of(new double[] {3, 1, 4, 1, 5, 9, 2, 6});
        assertThat(d.mean()).isCloseTo(l.mean(), within(1e-15));
        assertThat(d.std()).isCloseTo(l.std(), within(1e-14));
    }

    @Test
    void maximumAtOrBelowZeroNormalisesByTheLargestMagnitude() {
        PixelStatistics negative = NumericAnalysis.of(new long[] {-10, -20});
        assertThat(negative.averageAfterNormalization()).isEqualTo(-15.0 / 20);
        PixelStatistics zeros = NumericAnalysis.of(new long[] {0, 0, 0});
        assertThat(zeros.averageAfterNormalization()).isZero();
        PixelStatistics mixed = NumericAnalysis.of(new long[] {-4, 0});
        assertThat(mixed.averageAfterNormalization()).isEqualTo(-0.5);
    }

    @Test
    void emptyDataIsAllZeroes() {
        assertThat(NumericAnalysis.of(new long[0])).isEqualTo(PixelStatistics.EMPTY);
        assertThat(NumericAnalysis.of(new double[0]).count()).isZero();
    }

    @Test
    void largeValuesStayExact() {
        long big = 1L << 40;
        PixelStatistics s = NumericAnalysis.of(new long[] {big, big + 2});
        assertThat(s.mean()).isEqualTo(big + 1.0);
        assertThat(s.std()).isEqualTo(1.0);
    }

    @Test
    void histogramBinsAreConfigurable() {
        PixelStatistics s = NumericAnalysis.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5);
        assertThat(s.histogram()).get().extracting(Histogram::counts)
                .isEqualTo(new long[] {2, 2, 2, 2, 3});
    }
}
