package io.dicomflow.common.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the own codecs on raw frames (more effective than through a DICOM file,
 * whose header the fuzzer would first have to keep valid): the JPEG decoder (lossless and 12-bit DCT)
 * and the deflate codec must end with a frame or the typed error, never another exception, a hang or
 * an OutOfMemoryError. Runs in the "dicom-fuzz" surefire execution like {@code DicomReaderFuzzTest};
 * otherwise it replays the seeds (frames of the codecs/ test files) in FrameCodecFuzzTestInputs.
 */
class FrameCodecFuzzTest {
    /** The size of the seed frames (64x64, 16 bits), so mutations of them reach the entropy decoder. */
    private static final ImagePixelModule MODULE =
            new ImagePixelModule(64, 64, 1, 16, 16, 15, true, false, 1, "MONOCHROME2", false);
    private static final ImagePixelModule BYTES =
            new ImagePixelModule(64, 64, 1, 8, 8, 7, false, false, 1, "MONOCHROME2", false);

    @FuzzTest(maxDuration = "10s")
    void ownCodecsEndInAFrameOrTheTypedError(byte[] data) {
        int[] out = new int[MODULE.valuesPerFrame()];
        try {
            new JpegDecoder().decode(data, MODULE, out);
        } catch (UnsupportedPixelDataException expected) {
            // the typed outcome
        }
        try {
            new DeflateFrameCodec().decode(data, BYTES, out);
        } catch (UnsupportedPixelDataException expected) {
            // the typed outcome
        }
    }
}
