package io.dicomflow.common.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the JPEG-LS decoder alone (Jazzer, in the "dicom-fuzz" surefire execution like
 * DicomReaderFuzzTest; without JAZZER_FUZZ it replays the seeds in JpegLsFuzzTestInputs, small codestreams
 * made by DCMTK's dcmcjpls). The pixel module is taken from the input's own SOF55 header when it is small, so
 * the fuzzer reaches the scan decoding instead of stopping at the size check; the typed error is the only
 * accepted failure, and a hang, an unchecked exception or an OutOfMemoryError is a finding.
 */
class JpegLsFuzzTest {
    private static final int MAX_VALUES = 1 << 16;

    @FuzzTest(maxDuration = "15s")
    void decoderEndsInAResultOrTheTypedError(byte[] data) {
        ImagePixelModule m = moduleOf(data);
        try {
            JpegLsDecoder.decode(data, m, new int[m.valuesPerFrame()]);
        } catch (UnsupportedPixelDataException expected) {
            // the typed outcome
        }
    }

    /** Rows, Columns, Samples and Bits from the first SOF55 segment, else a small default grey image. */
    private static ImagePixelModule moduleOf(byte[] d) {
        for (int i = 0; i + 10 < d.length; i++) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xF7) {
                int p = d[i + 4] & 0xFF;
                int y = (d[i + 5] & 0xFF) << 8 | d[i + 6] & 0xFF;
                int x = (d[i + 7] & 0xFF) << 8 | d[i + 8] & 0xFF;
                int nf = d[i + 9] & 0xFF;
                if (x > 0 && y > 0 && (nf == 1 || nf == 3) && (long) x * y * nf <= MAX_VALUES && p >= 2 && p <= 16) {
                    int bits = p > 8 ? 16 : 8;
                    return new ImagePixelModule(y, x, nf, bits, p, p - 1, (p & 1) == 1, false, 1,
                            nf == 1 ? "MONOCHROME2" : "RGB", false);
                }
                break;
            }
        }
        return new ImagePixelModule(16, 16, 1, 8, 8, 7, false, false, 1, "MONOCHROME2", false);
    }
}
