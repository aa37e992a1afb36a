package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.VR;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Native (uncompressed) pixel data, PS3.5 8.1: frames one after another, samples of a pixel together
 * (Planar Configuration 0) or colour planes one after another within each frame (1); 1-bit data
 * packed least significant bit first across frame boundaries.
 */
final class NativeFrameDecoder implements FrameDecoder {
    private final ImagePixelModule m;
    private final InputStream in;
    private final PixelDataInfo info;
    private final boolean bigEndian;
    private final StoredValues stored;
    /*
     * Buffers are allocated when the first frame's bytes have actually arrived, and grow with them: the
     * declared pixel data length is a header field too, so a few hundred bytes announcing a 8192 x 8192
     * frame must end in "pixel data ends early", not in a 256 MiB allocation first.
     */
    private int[] values;
    private double[] doubles;
    private byte[] raw;
    /** Bytes of one frame's raw data (for YBR_FULL_422, the subsampled size). */
    private final int frameBytes;
    /** YBR_FULL_422 native data: Y1 Y2 Cb Cr for each pair of pixels (PS3.3 C.7.6.3.1.2). */
    private final boolean ybr422;
    /** 8-bit data in an OW value of a big endian syntax: each 16-bit word has its two bytes swapped. */
    private final boolean swapBytePairs;
    private byte[] swappedValue;
    private int nextFrame;
    private long consumed;
    // 1-bit data: the byte being read and how many of its bits are used
    private int bitByte;
    private int bitsLeft;

    NativeFrameDecoder(ImagePixelModule m, InputStream in, PixelDataInfo info, boolean bigEndian)
            throws DicomParseException {
        this.m = m;
        this.in = in;
        this.info = info;
        // OB data is a byte stream in any byte order; OW/OF/OD words follow the transfer syntax
        this.bigEndian = bigEndian && info.vr() != VR.OB;
        this.stored = new StoredValues(m);
        this.ybr422 = m.photometric().equals("YBR_FULL_422") && m.samplesPerPixel() == 3 && m.bitsAllocated() == 8;
        this.swapBytePairs = bigEndian && info.vr() == VR.OW && m.bitsAllocated() == 8;
        long expectedBits = ybr422 ? m.nativeBits() * 2 / 3 : m.nativeBits();
        long expected = (expectedBits + 7) / 8;
        if (info.length() < expected) {
            throw new DicomParseException(info.valueOffset(), info.tag(), "pixel data has " + info.length()
                    + " bytes but Rows x Columns x Samples x Bits Allocated x Frames needs " + expected);
        }
        // at most 2^26 values of 64 bits: 512 MiB, within an int
        this.frameBytes = (int) (ybr422 ? m.nativeFrameBytes() * 2 / 3 : m.nativeFrameBytes());
    }

    private void allocateValues() {
        if (values == null && doubles == null) {
            if (m.floatPixels()) {
                doubles = new double[m.valuesPerFrame()];
            } else {
                values = new int[m.valuesPerFrame()];
            }
        }
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
        int n = m.valuesPerFrame();
        if (m.bitsAllocated() == 1) {
            readBits(n);
        } else {
            if (swapBytePairs) {
                readSwapped();
            } else {
                raw = read(raw, frameBytes);
            }
            allocateValues();
            if (ybr422) {
                expand422(n);
            } else if (m.floatPixels()) {
                convertFloats(n);
            } else {
                convert(n);
            }
            if (m.planar() && m.samplesPerPixel() > 1) {
                interleave(n);
            }
        }
        FrameBudget.check(nextFrame, consumed);
        boolean unsigned32 = !m.signed() && m.bitsStored() == 32 && !m.floatPixels();
        return new Frame(nextFrame++, values, doubles, n, unsigned32);
    }

    /** Y1 Y2 Cb Cr → Y1 Cb Cr Y2 Cb Cr: chroma shared by the two pixels, as decoders present it. */
    private void expand422(int n) {
        for (int p = 0, o = 0; o + 5 < n; p += 4, o += 6) {
            int y1 = raw[p] & 0xFF;
            int y2 = raw[p + 1] & 0xFF;
            int cb = raw[p + 2] & 0xFF;
            int cr = raw[p + 3] & 0xFF;
            values[o] = y1;
            values[o + 1] = cb;
            values[o + 2] = cr;
            values[o + 3] = y2;
            values[o + 4] = cb;
            values[o + 5] = cr;
        }
        stored.applyAll(values, n);
    }

    /**
     * 8-bit samples in big endian OW: the whole value is read once (word-swapping crosses frame
     * boundaries when a frame has an odd number of bytes), then served frame by frame.
     */
    private void readSwapped() throws IOException, DicomParseException {
        if (swappedValue == null) {
            long total = Math.min(info.length(), (long) frameBytes * m.frames() + 1) & ~1L;
            if (total > Integer.MAX_VALUE - 16) {
                throw new DicomParseException(info.valueOffset(), info.tag(), "8-bit big endian OW pixel data of "
                        + total + " bytes is too large to read");
            }
            byte[] all = read(null, (int) total);
            for (int i = 0; i + 1 < all.length; i += 2) {
                byte t = all[i];
                all[i] = all[i + 1];
                all[i + 1] = t;
            }
            swappedValue = all;
        }
        if (raw == null) {
            raw = new byte[frameBytes];
        }
        int from = (int) Math.min((long) nextFrame * frameBytes, swappedValue.length);
        if (from + frameBytes > swappedValue.length) {
            throw new DicomParseException(info.valueOffset() + swappedValue.length, info.tag(), "pixel data ends early",
                    new EOFException());
        }
        System.arraycopy(swappedValue, from, raw, 0, frameBytes);
    }

    /** Raw words to stored values in one pass: shifted to the top of an int, shifted back signed or not. */
    private void convert(int n) {
        int shift = 32 - Math.min(m.bitsStored(), 32);
        boolean signed = m.signed();
        switch (m.bitsAllocated()) {
            case 8 -> {
                byte[] r = raw;
                for (int i = 0; i < n; i++) {
                    int v = (r[i] & 0xFF) << shift;
                    values[i] = signed ? v >> shift : v >>> shift;
                }
            }
            case 16 -> {
                short[] s = shortScratch(n);
                ByteBuffer.wrap(raw).order(order()).asShortBuffer().get(s, 0, n);
                int[] out = values;
                if (signed) {
                    for (int i = 0; i < n; i++) {
                        out[i] = ((s[i] & 0xFFFF) << shift) >> shift;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = ((s[i] & 0xFFFF) << shift) >>> shift;
                    }
                }
            }
            default -> {
                ByteBuffer.wrap(raw).order(order()).asIntBuffer().get(values, 0, n);
                stored.applyAll(values, n);
            }
        }
    }

    private short[] shorts;

    private short[] shortScratch(int n) {
        if (shorts == null || shorts.length < n) {
            shorts = new short[n];
        }
        return shorts;
    }

    private void convertFloats(int n) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(order());
        if (m.bitsAllocated() == 64) {
            for (int i = 0; i < n; i++) {
                doubles[i] = b.getDouble(i * 8);
            }
        } else {
            for (int i = 0; i < n; i++) {
                doubles[i] = b.getFloat(i * 4);
            }
        }
    }

    private ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Planes R...G...B... to pixels RGB RGB ... */
    private void interleave(int n) {
        int pixels = n / m.samplesPerPixel();
        int s = m.samplesPerPixel();
        if (doubles != null) {
            double[] copy = doubles.clone();
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < s; c++) {
                    doubles[p * s + c] = copy[c * pixels + p];
                }
            }
            return;
        }
        int[] copy = values.clone();
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < s; c++) {
                values[p * s + c] = copy[c * pixels + p];
            }
        }
    }

    /**
     * One frame's native little endian bytes (as a codec such as deflate produced them) to sample words,
     * samples interleaved; 1-bit data is packed from the first byte, least significant bit first.
     * {@code raw} must hold the whole frame.
     */
    static void unpack(byte[] raw, ImagePixelModule m, int[] out) {
        int n = m.valuesPerFrame();
        switch (m.bitsAllocated()) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw[i >>> 3] >> (i & 7) & 1;
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw[i] & 0xFF;
                }
            }
            case 16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (raw[2 * i] & 0xFF) | (raw[2 * i + 1] & 0xFF) << 8;
                }
            }
            default -> ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out, 0, n);
        }
        if (m.planar() && m.samplesPerPixel() > 1) {
            int s = m.samplesPerPixel();
            int pixels = n / s;
            int[] copy = java.util.Arrays.copyOf(out, n);
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < s; c++) {
                    out[p * s + c] = copy[c * pixels + p];
                }
            }
        }
    }

    /** 1-bit data: the bytes of the frame's bits are read first (the last one may be shared with the next frame). */
    private void readBits(int n) throws IOException, DicomParseException {
        long missingBits = (long) n - bitsLeft;
        int bytes = missingBits > 0 ? (int) ((missingBits + 7) / 8) : 0;
        if (bytes > 0) {
            raw = read(raw, bytes);
        }
        allocateValues();
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (bitsLeft == 0) {
                bitByte = raw[next++] & 0xFF;
                bitsLeft = 8;
            }
            values[i] = bitByte & 1;
            bitByte >>>= 1;
            bitsLeft--;
        }
    }

    /**
     * Reads exactly len bytes into reuse when it is large enough, else into an array that grows (from 64 KiB,
     * doubling) only as the bytes arrive; returns the array holding them.
     */
    private byte[] read(byte[] reuse, int len) throws IOException, DicomParseException {
        byte[] b = reuse != null && reuse.length >= len ? reuse : new byte[Math.min(len, 1 << 16)];
        int off = 0;
        while (off < len) {
            if (off == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(len, 2L * b.length));
            }
            int r;
            try {
                r = in.read(b, off, Math.min(b.length, len) - off);
            } catch (java.util.zip.ZipException e) {
                // deflated data that is corrupt or inflates beyond the reader's limits: the file's fault
                throw new DicomParseException(info.valueOffset() + consumed + off, info.tag(),
                        "deflated pixel data " + e.getMessage(), e);
            }
            if (r < 0) {
                throw new DicomParseException(info.valueOffset() + consumed + off, info.tag(),
                        "pixel data ends early", new EOFException());
            }
            off += r;
        }
        consumed += len;
        return b;
    }
}
