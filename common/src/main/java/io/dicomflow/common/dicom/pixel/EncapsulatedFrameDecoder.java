package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.TransferSyntax;
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
    /**
     * Decoded values one compressed byte may stand for, over the frames decoded so far, beyond
     * {@link #DECODED_VALUES_FLOOR}. RLE gives at most 64 (a 2-byte run of 128), JPEG baseline a few hundred,
     * JPEG 2000 more on flat images; a hostile file of empty RLE segments or tiny codestreams declaring
     * huge frames would otherwise cost seconds of decoding and a full-size frame buffer per few bytes.
     */
    static final long MAX_VALUES_PER_COMPRESSED_BYTE = 4096;

    /** The same for RLE: 128, twice what PackBits can reach (a 2-byte replicate run of 128 bytes). */
    static final long RLE_MAX_VALUES_PER_COMPRESSED_BYTE = 128;

    /**
     * Values any image may decode to whatever its compressed size (a 1024 x 1024 frame, 4 MiB of ints): a
     * few hundred bytes declaring a larger frame must be backed by compressed data before a frame buffer
     * and a decode of that size are spent on them.
     */
    static final long DECODED_VALUES_FLOOR = 1L << 20;

    private final StoredValues stored;
    /** Allocated once the first frame's compressed bytes are there and pass the ratio check. */
    private int[] values;
    /** RLE is held to its tighter ratio (PackBits cannot expand further); other codecs to the general one. */
    private final boolean rle;
    private long compressedBytes;
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
        this.rle = header.transferSyntax().codec() == TransferSyntax.Codec.RLE;
        this.fragments = new EncapsulatedFragments(in, header, m.frames(), registration.boundaries());
        this.stored = new StoredValues(m);
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
        compressedBytes += data.length;
        FrameBudget.check(nextFrame, compressedBytes);
        long decoded = (long) (nextFrame + 1) * m.valuesPerFrame();
        long ratio = rle ? RLE_MAX_VALUES_PER_COMPRESSED_BYTE : MAX_VALUES_PER_COMPRESSED_BYTE;
        if (decoded > DECODED_VALUES_FLOOR + ratio * compressedBytes) {
            throw new UnsupportedPixelDataException("frame " + nextFrame + ": " + (nextFrame + 1) + " frames of "
                    + m.valuesPerFrame() + " values from " + compressedBytes
                    + " compressed bytes is beyond any plausible compression ratio");
        }
        if (values == null) {
            values = new int[m.valuesPerFrame()];
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
