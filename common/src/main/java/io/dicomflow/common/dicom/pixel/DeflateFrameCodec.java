package io.dicomflow.common.dicom.pixel;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 8.2.15): each frame is the native
 * encoding of that frame (little endian, 1-bit data packed from the frame's first byte), compressed
 * with deflate (RFC 1951) into its own fragment. The inflater's output is capped at exactly the frame's
 * native size, so a small "deflate bomb" cannot make it produce or allocate more.
 */
final class DeflateFrameCodec implements FrameCodec {
    @Override
    public void decode(byte[] frame, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        long bits = (long) m.valuesPerFrame() * m.bitsAllocated();
        byte[] raw = new byte[(int) ((bits + 7) / 8)];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(frame);
            int n = 0;
            while (n < raw.length) {
                int r = inflater.inflate(raw, n, raw.length - n);
                n += r;
                if (r == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            if (n < raw.length) {
                throw new UnsupportedPixelDataException("deflated frame holds " + n + " bytes, "
                        + raw.length + " expected");
            }
        } catch (DataFormatException e) {
            throw new UnsupportedPixelDataException("deflated frame is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        NativeFrameDecoder.unpack(raw, m, out);
    }
}
