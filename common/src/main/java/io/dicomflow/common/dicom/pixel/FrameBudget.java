package io.dicomflow.common.dicom.pixel;

/**
 * Every frame costs work of its own whatever its size (its statistics are computed exactly, with
 * BigDecimal arithmetic: 20 to 70 KB of garbage, the fuzzer found 129 frames from 65 bytes allocating 9 MB), so a count of tiny frames must be paid for with data: a
 * 2 x 2 1-bit image declaring 196,609 frames gets 2 frames per byte out of its pixel data. Beyond the first
 * {@link #FREE_FRAMES}, each frame must be backed by {@link #MIN_BYTES_PER_FRAME} bytes of pixel data read
 * (native bytes, or compressed bytes of the fragments). Real frames are far larger (a 16 x 16 16-bit
 * frame already has 512 bytes).
 */
final class FrameBudget {
    static final int FREE_FRAMES = 64;
    static final int MIN_BYTES_PER_FRAME = 512;

    private FrameBudget() {
    }

    /** Checks that the frame with this index may be decoded after bytesRead bytes of pixel data. */
    static void check(int frameIndex, long bytesRead) throws UnsupportedPixelDataException {
        long frames = frameIndex + 1L;
        if (frames > FREE_FRAMES + bytesRead / MIN_BYTES_PER_FRAME) {
            throw new UnsupportedPixelDataException("frame " + frameIndex + ": " + frames + " frames from "
                    + bytesRead + " bytes of pixel data; beyond " + FREE_FRAMES + " frames each needs at least "
                    + MIN_BYTES_PER_FRAME + " bytes");
        }
    }
}
