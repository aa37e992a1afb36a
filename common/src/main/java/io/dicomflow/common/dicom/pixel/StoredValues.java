package io.dicomflow.common.dicom.pixel;

/** Turns raw sample words into stored values: keep the low Bits Stored bits, sign-extend if signed. */
final class StoredValues {
    private final int mask;
    private final int signBit;
    private final boolean signed;
    private final boolean identity;

    StoredValues(ImagePixelModule m) {
        this.signed = m.signed();
        int bits = Math.min(m.bitsStored(), 32);
        this.mask = bits == 32 ? -1 : (1 << bits) - 1;
        this.signBit = bits == 32 ? Integer.MIN_VALUE : 1 << (bits - 1);
        this.identity = bits == 32;
    }

    int apply(int raw) {
        if (identity) {
            return raw;
        }
        int v = raw & mask;
        if (signed && (v & signBit) != 0) {
            v |= ~mask;
        }
        return v;
    }

    /** Applies the rule to the first n values in place. */
    void applyAll(int[] values, int n) {
        if (identity) {
            return;
        }
        if (!signed) {
            for (int i = 0; i < n; i++) {
                values[i] &= mask;
            }
            return;
        }
        int shift = 32 - Integer.bitCount(mask);
        for (int i = 0; i < n; i++) {
            values[i] = (values[i] << shift) >> shift;
        }
    }
}
