package io.dicomflow.common.dicom.pixel;

/**
 * RLE Lossless (PS3.5 annex G): a 64-byte header with the number of segments and their offsets,
 * then one PackBits-coded segment per byte plane: for each sample, its most significant byte first.
 */
final class RleFrameCodec {
    private RleFrameCodec() {
    }

    /**
     * Decodes one frame into values (samples interleaved), raw (not yet masked).
     *
     * @return null on success, else the reason the frame is invalid
     */
    static String decode(byte[] frame, ImagePixelModule m, int[] values) {
        return decode(frame, m, values, new byte[m.rows() * m.columns()]);
    }

    /** The same with a caller-owned plane buffer of rows x columns bytes, reused from frame to frame. */
    static String decode(byte[] frame, ImagePixelModule m, int[] values, byte[] plane) {
        if (frame.length < 64) {
            return "RLE frame shorter than its 64-byte header";
        }
        int segments = (int) le32(frame, 0);
        int bytesPerSample = m.bitsAllocated() / 8;
        int samples = m.samplesPerPixel();
        if (m.bitsAllocated() % 8 != 0 || segments != bytesPerSample * samples) {
            return "RLE header has " + segments + " segments, " + bytesPerSample * samples + " expected";
        }
        int pixels = m.rows() * m.columns();
        java.util.Arrays.fill(values, 0, pixels * samples, 0);
        for (int seg = 0; seg < segments; seg++) {
            long start = le32(frame, 4 + 4 * seg);
            long end = seg + 1 < segments ? le32(frame, 8 + 4 * seg) : frame.length;
            if (start < 64 || start > frame.length || end < start || end > frame.length) {
                return "RLE segment " + seg + " offsets out of range";
            }
            unpack(frame, (int) start, (int) end, plane);
            int sample = seg / bytesPerSample;
            int shift = 8 * (bytesPerSample - 1 - seg % bytesPerSample);
            for (int p = 0, o = sample; p < pixels; p++, o += samples) {
                values[o] |= (plane[p] & 0xFF) << shift;
            }
        }
        return null;
    }

    /** PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
    private static void unpack(byte[] src, int from, int end, byte[] out) {
        int o = 0;
        int i = from;
        while (i < end && o < out.length) {
            int n = src[i++];
            if (n >= 0) {
                int count = Math.min(n + 1, Math.min(end - i, out.length - o));
                System.arraycopy(src, i, out, o, count);
                i += n + 1;
                o += count;
            } else if (n != -128) {
                if (i >= end) {
                    break;
                }
                byte b = src[i++];
                int count = Math.min(1 - n, out.length - o);
                java.util.Arrays.fill(out, o, o + count, b);
                o += count;
            }
        }
        // a short segment leaves the rest of the plane zero, as other decoders do
        java.util.Arrays.fill(out, o, out.length, (byte) 0);
    }

    /** {@link #decode} as a {@link FrameCodec}: an invalid frame is the typed error. */
    static void decodeOrFail(byte[] frame, ImagePixelModule m, int[] values) throws UnsupportedPixelDataException {
        String problem = decode(frame, m, values);
        if (problem != null) {
            throw new UnsupportedPixelDataException(problem);
        }
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
