package io.dicomflow.common.analysis;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Exact running figures of integer values: count, min, max, sum (64-bit) and sum of squares in 128
 * bits, so mean and population standard deviation come out correctly rounded whatever the order of
 * values, the number of frames or their size (no floating-point drift over 10^9 values).
 */
final class IntegerAccumulator {
    long count;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum;
    private long sumSqLow;
    private long sumSqHigh;

    void add(long v) {
        count++;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        sum += v;
        addSquare(v);
    }

    private void addSquare(long v) {
        long a = Math.abs(v);
        long low = a * a;
        long high = Math.multiplyHigh(a, a);
        long newLow = sumSqLow + low;
        if (Long.compareUnsigned(newLow, sumSqLow) < 0) {
            high++;
        }
        sumSqLow = newLow;
        sumSqHigh += high;
    }

    /** Adds ints (signed, or unsigned 32-bit when asked). Fast path for the common case. */
    void addAll(int[] values, int n, boolean unsigned32) {
        if (unsigned32) {
            for (int i = 0; i < n; i++) {
                add(Integer.toUnsignedLong(values[i]));
            }
            return;
        }
        long s = 0;
        long sq = 0;
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        if (n <= 1 << 28 && fitIn17Bits(values, n)) {
            // |v| <= 2^16: squares <= 2^32, and at most 2^28 of them sum below 2^60, no overflow check needed
            for (int i = 0; i < n; i++) {
                int v = values[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                s += v;
                sq += (long) v * v;
            }
            merge(sq);
            if (n > 0) {
                min = Math.min(min, lo);
                max = Math.max(max, hi);
            }
            count += n;
            sum += s;
            return;
        }
        // squares of ints are at most 2^62; flush the partial sum of squares before it could overflow
        for (int i = 0; i < n; i++) {
            int v = values[i];
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
            s += v;
            long square = (long) v * v;
            if (square > Long.MAX_VALUE - sq) {
                merge(sq);
                sq = 0;
            }
            sq += square;
        }
        merge(sq);
        if (n > 0) {
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
        count += n;
        sum += s;
    }

    /**
     * The hot path for data of at most 16 stored bits: min, max, sum, sum of squares and the exact
     * histogram in one pass. |v| &lt;= 2^16, so squares stay below 2^32 and a frame of up to 2^26 values
     * cannot overflow the 64-bit partial sums.
     */
    void addSmall(int[] values, int n, long[] counts, int offset) {
        long s = 0;
        long sq = 0;
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int v = values[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            s += v;
            sq += (long) v * v;
            counts[v - offset]++;
        }
        merge(sq);
        if (n > 0) {
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
        count += n;
        sum += s;
    }

    /** Whether every value lies in -65536..65536 (a cheap OR/AND scan, vectorised by the JIT). */
    private static boolean fitIn17Bits(int[] values, int n) {
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        return lo >= -65536 && hi <= 65536;
    }

    private void merge(long unsignedValue) {
        long newLow = sumSqLow + unsignedValue;
        if (Long.compareUnsigned(newLow, sumSqLow) < 0) {
            sumSqHigh++;
        }
        sumSqLow = newLow;
    }

    void merge(IntegerAccumulator other) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
        merge(other.sumSqLow);
        // the low word may have carried above; add the high words
        sumSqHigh += other.sumSqHigh;
    }

    BigInteger sumOfSquares() {
        return BigInteger.valueOf(sumSqHigh).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(sumSqLow)));
    }

    double mean() {
        return count == 0 ? 0 : new BigDecimal(sum).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128)
                .doubleValue();
    }

    /** Population standard deviation: sqrt((n*Σv² - (Σv)²) / n²), computed exactly before the root. */
    double std() {
        if (count == 0) {
            return 0;
        }
        BigInteger n = BigInteger.valueOf(count);
        BigInteger s = BigInteger.valueOf(sum);
        BigInteger numerator = sumOfSquares().multiply(n).subtract(s.multiply(s));
        BigDecimal variance = new BigDecimal(numerator).divide(new BigDecimal(n.multiply(n)), MathContext.DECIMAL128);
        return variance.sqrt(MathContext.DECIMAL128).doubleValue();
    }

    PixelStatistics statistics() {
        if (count == 0) {
            return PixelStatistics.EMPTY;
        }
        double mean = mean();
        return new PixelStatistics(count, min, max, mean, std(), PixelStatistics.normalizedAverage(mean, min, max));
    }

    /** Figures of slope*v + intercept, exact up to the final rounding. */
    RescaledSums rescaled(double slope, double intercept) {
        BigDecimal m = BigDecimal.valueOf(slope);
        BigDecimal b = BigDecimal.valueOf(intercept);
        BigDecimal n = BigDecimal.valueOf(count);
        BigDecimal s = new BigDecimal(sum);
        BigDecimal sq = new BigDecimal(sumOfSquares());
        BigDecimal rs = m.multiply(s).add(b.multiply(n));
        BigDecimal rsq = m.multiply(m).multiply(sq).add(BigDecimal.valueOf(2).multiply(m).multiply(b).multiply(s))
                .add(b.multiply(b).multiply(n));
        double lo = slope >= 0 ? min * slope + intercept : max * slope + intercept;
        double hi = slope >= 0 ? max * slope + intercept : min * slope + intercept;
        return new RescaledSums(count, lo, hi, rs, rsq);
    }

    /** Sums of rescaled values, combinable across frames with different rescale parameters. */
    record RescaledSums(long count, double min, double max, BigDecimal sum, BigDecimal sumOfSquares) {
        RescaledSums plus(RescaledSums o) {
            if (o.count == 0) {
                return this;
            }
            if (count == 0) {
                return o;
            }
            return new RescaledSums(count + o.count, Math.min(min, o.min), Math.max(max, o.max), sum.add(o.sum),
                    sumOfSquares.add(o.sumOfSquares));
        }

        PixelStatistics statistics() {
            if (count == 0) {
                return PixelStatistics.EMPTY;
            }
            BigDecimal n = BigDecimal.valueOf(count);
            BigDecimal mean = sum.divide(n, MathContext.DECIMAL128);
            BigDecimal variance = sumOfSquares.multiply(n).subtract(sum.multiply(sum))
                    .divide(n.multiply(n), MathContext.DECIMAL128);
            double std = variance.signum() <= 0 ? 0 : variance.sqrt(MathContext.DECIMAL128).doubleValue();
            double meanD = mean.doubleValue();
            return new PixelStatistics(count, min, max, meanD, std,
                    PixelStatistics.normalizedAverage(meanD, min, max));
        }
    }
}
