package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Compressed frames: the fragments of each frame joined by {@link EncapsulatedFragments}, decoded by the
 * {@link FrameCodec} registered in {@link PixelDecoders}, then masked to Bits Stored and sign extended.
 */
final class EncapsulatedFrameDecoder implements FrameDecoder {
    /**
     * Time one frame may take in a third-party codec before it is abandoned as corrupt: 5 s, or the
     * system property {@code dicomflow.codec.budget.ms}.
     */
    static long codecBudgetNanos() {
        return Long.getLong("dicomflow.codec.budget.ms", 5000L) * 1_000_000L;
    }

    private final ImagePixelModule m;
    private final FrameCodec codec;
    private final EncapsulatedFragments fragments;
    private final StoredValues stored;
    private final int[] values;
    private int nextFrame;

    EncapsulatedFrameDecoder(ImagePixelModule m, DicomHeader header, InputStream in,
                             PixelDecoders.Registration registration)
            throws IOException, DicomParseException, UnsupportedPixelDataException {
        this.m = m;
        if (m.floatPixels()) {
            throw new UnsupportedPixelDataException("float pixel data cannot be encapsulated");
        }
        if (m.bitsAllocated() == 1 && registration.boundaries() != EncapsulatedFragments.Boundaries.ONE_FRAGMENT) {
            // 1-bit frames exist only natively and in frame-wise byte codecs (deflate); RLE rejects them itself
            throw new UnsupportedPixelDataException("1-bit pixels in " + registration.boundaries()
                    + " codestreams are not supported");
        }
        this.codec = registration.codec();
        this.fragments = new EncapsulatedFragments(in, header, m.frames(), registration.boundaries());
        this.stored = new StoredValues(m);
        this.values = new int[m.valuesPerFrame()];
    }

    @Override
    public ImagePixelModule module() {
        return m;
    }

    @Override
    public Frame next() throws IOException, DicomParseException, UnsupportedPixelDataException {
        if (nextFrame >= m.frames()) {
            return null;
        }
        byte[] data = fragments.nextFrame();
        if (data == null) {
            throw new UnsupportedPixelDataException("encapsulated pixel data holds " + nextFrame + " frames, "
                    + m.frames() + " declared");
        }
        try {
            codec.decode(data, m, values);
        } catch (UnsupportedPixelDataException e) {
            throw new UnsupportedPixelDataException("frame " + nextFrame + ": " + e.getMessage(), e);
        }
        stored.applyAll(values, m.valuesPerFrame());
        boolean unsigned32 = !m.signed() && m.bitsStored() == 32;
        return new Frame(nextFrame++, values, null, m.valuesPerFrame(), unsigned32);
    }
}
