package io.dicomflow.common.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the HTJ2K decoder alone (Jazzer, in the "dicom-fuzz" surefire execution; without
 * JAZZER_FUZZ it replays the seeds in HtJ2kFuzzTestInputs, small codestreams made by OpenJPH's ojph_compress,
 * see resources/htj2k/generate.py). The pixel module is taken from the input's own SIZ segment when it is
 * small, so the fuzzer reaches packet and block decoding instead of stopping at the size check; the typed
 * error is the only accepted failure, and a hang, an unchecked exception or an OutOfMemoryError is a finding.
 */
class HtJ2kFuzzTest {
    private static final int MAX_VALUES = 1 << 16;

    @FuzzTest(maxDuration = "15s")
    void decoderEndsInAResultOrTheTypedError(byte[] data) {
        ImagePixelModule m = moduleOf(data);
        try {
            HtJ2kDecoder.decode(data, m, new int[m.valuesPerFrame()]);
        } catch (UnsupportedPixelDataException expected) {
            // the typed outcome
        }
    }

    /** Size, components and precision from the SIZ segment right after SOC, else a small grey image. */
    private static ImagePixelModule moduleOf(byte[] d) {
        if (d.length > 44 && (d[2] & 0xFF) == 0xFF && (d[3] & 0xFF) == 0x51) {
            long x = int32(d, 8) - int32(d, 16);
            long y = int32(d, 12) - int32(d, 20);
            int nc = (d[40] & 0xFF) << 8 | d[41] & 0xFF;
            int bits = (d[42] & 0x7F) + 1;
            boolean signed = (d[42] & 0x80) != 0;
            // each side checked first: the product of two 32-bit sizes overflows a long
            if (x > 0 && y > 0 && x <= MAX_VALUES && y <= MAX_VALUES && (nc == 1 || nc == 3) && x * y * nc <= MAX_VALUES
                    && bits <= 16) {
                return new ImagePixelModule((int) y, (int) x, nc, bits > 8 ? 16 : 8, bits, bits - 1, signed, false, 1,
                        nc == 1 ? "MONOCHROME2" : "RGB", false);
            }
        }
        return new ImagePixelModule(16, 16, 1, 8, 8, 7, false, false, 1, "MONOCHROME2", false);
    }

    private static long int32(byte[] d, int at) {
        return (long) (d[at] & 0xFF) << 24 | (d[at + 1] & 0xFF) << 16 | (d[at + 2] & 0xFF) << 8 | d[at + 3] & 0xFF;
    }
}
