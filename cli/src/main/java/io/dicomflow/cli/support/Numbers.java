package io.dicomflow.cli.support;

import java.math.BigDecimal;
import java.math.MathContext;

/** How numbers are shown in text output (JSON output keeps full double precision). */
public final class Numbers {

    private static final MathContext TEN_DIGITS = new MathContext(10);

    private Numbers() {
    }

    /** Ten significant digits, no trailing zeros, no exponent: 50.0109480, 1.5, 0.25. */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(TEN_DIGITS).stripTrailingZeros().toPlainString();
    }
}
