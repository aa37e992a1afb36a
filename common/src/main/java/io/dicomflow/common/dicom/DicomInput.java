package io.dicomflow.common.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;

/**
 * A buffered byte source that knows its position, reads little- or big-endian numbers and never
 * allocates more than it has actually read: values are copied in bounded chunks, so a forged
 * 4 GB length on a 1 KB stream ends in an {@link EOFException}, not an OutOfMemoryError.
 */
final class DicomInput {
    private static final int BUFFER_SIZE = 1 << 16;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    /** Stream position of buf[0]. */
    private long base;
    /** Total length of the source when known (files), else -1. */
    private final long knownLength;
    private boolean bigEndian;

    DicomInput(InputStream in, long startOffset, long knownLength) {
        this.in = in;
        this.base = startOffset;
        this.knownLength = knownLength;
    }

    long position() {
        return base + pos;
    }

    /** Bytes left before the end of the source, or Long.MAX_VALUE when unknown. */
    long remaining() {
        return knownLength < 0 ? Long.MAX_VALUE : knownLength - position();
    }

    void bigEndian(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    boolean bigEndian() {
        return bigEndian;
    }

    /** Ensures n (≤ buffer size) bytes are buffered; false if the source ends first. */
    boolean request(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                return false;
            }
            lim += r;
        }
        return true;
    }

    private void require(int n) throws IOException {
        if (!request(n)) {
            throw new EOFException("end of data: needed " + n + " bytes, " + (lim - pos) + " left");
        }
    }

    /** Peeks at the byte at pos+i (requires a successful {@link #request(int)} covering it). */
    int peek(int i) {
        return buf[pos + i] & 0xFF;
    }

    int peekU16(int i, boolean big) {
        int a = buf[pos + i] & 0xFF;
        int b = buf[pos + i + 1] & 0xFF;
        return big ? (a << 8 | b) : (b << 8 | a);
    }

    int u8() throws IOException {
        require(1);
        return buf[pos++] & 0xFF;
    }

    int u16() throws IOException {
        require(2);
        int v = peekU16(0, bigEndian);
        pos += 2;
        return v;
    }

    int s32() throws IOException {
        require(4);
        int a = buf[pos] & 0xFF;
        int b = buf[pos + 1] & 0xFF;
        int c = buf[pos + 2] & 0xFF;
        int d = buf[pos + 3] & 0xFF;
        pos += 4;
        return bigEndian ? (a << 24 | b << 16 | c << 8 | d) : (d << 24 | c << 16 | b << 8 | a);
    }

    long u32() throws IOException {
        return s32() & 0xFFFFFFFFL;
    }

    /** A tag: group then element, each in the current byte order. */
    int tag() throws IOException {
        int group = u16();
        int element = u16();
        return group << 16 | element;
    }

    /** Reads exactly len bytes; the array grows only as data really arrives. */
    byte[] bytes(int len) throws IOException {
        if (len <= BUFFER_SIZE) {
            require(len);
            byte[] out = new byte[len];
            System.arraycopy(buf, pos, out, 0, len);
            pos += len;
            return out;
        }
        byte[] out = new byte[BUFFER_SIZE];
        int filled = 0;
        while (filled < len) {
            if (pos == lim && !request(1)) {
                throw new EOFException("end of data: " + (len - filled) + " bytes of a value missing");
            }
            int n = Math.min(lim - pos, len - filled);
            if (filled + n > out.length) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(len, Math.max(filled + n, 2L * out.length)));
            }
            System.arraycopy(buf, pos, out, filled, n);
            filled += n;
            pos += n;
        }
        return out;
    }

    /** Reads up to len bytes, fewer if the data ends first. */
    byte[] bytesUpTo(int len) throws IOException {
        if (remaining() != Long.MAX_VALUE) {
            return bytes((int) Math.min(len, remaining()));
        }
        byte[] out = new byte[Math.min(len, BUFFER_SIZE)];
        int filled = 0;
        while (filled < len) {
            if (pos == lim && !request(1)) {
                return java.util.Arrays.copyOf(out, filled);
            }
            int n = Math.min(lim - pos, len - filled);
            if (filled + n > out.length) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(len, Math.max(filled + n, 2L * out.length)));
            }
            System.arraycopy(buf, pos, out, filled, n);
            filled += n;
            pos += n;
        }
        return out;
    }

    void skip(long n) throws IOException {
        long left = n;
        int inBuffer = Math.min(lim - pos, (int) Math.min(left, Integer.MAX_VALUE));
        pos += inBuffer;
        left -= inBuffer;
        while (left > 0) {
            // read and discard: InputStream.skip may silently run past the end of a truncated stream
            if (!request(1)) {
                throw new EOFException("end of data: " + left + " bytes to skip");
            }
            int m = (int) Math.min(lim - pos, left);
            pos += m;
            left -= m;
        }
    }

    /** True when no byte is left (reads ahead to find out). */
    boolean atEnd() throws IOException {
        return !request(1);
    }

    /** The rest of the data as a stream (buffered bytes first), for inflating or pixel reading. */
    InputStream rest() {
        byte[] pending = java.util.Arrays.copyOfRange(buf, pos, lim);
        base += lim;
        pos = 0;
        lim = 0;
        return new SequenceInputStream(new ByteArrayInputStream(pending), in);
    }
}
