package io.dicomflow.common.dicom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Fails with {@link LimitExceeded} once more than a set number of bytes have been read, or once the bytes
 * read outgrow a ratio to the bytes of another stream (the deflated source) beyond an allowance (deflate bombs).
 */
final class CappedInputStream extends FilterInputStream {
    /**
     * Thrown when the cap is passed. A ZipException, so that code reading inflated pixel data treats a bomb
     * like any other bad deflate stream (a data error, not an I/O failure worth retrying).
     */
    static final class LimitExceeded extends java.util.zip.ZipException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(String message) {
            super(message);
        }
    }

    private final long cap;
    private final long allowance;
    private final long ratio;
    private final LongSupplier sourceBytes;
    private long count;

    /** At most cap bytes, and at most allowance + ratio x sourceBytes. */
    CappedInputStream(InputStream in, long cap, long allowance, long ratio, LongSupplier sourceBytes) {
        super(in);
        this.cap = cap;
        this.allowance = allowance;
        this.ratio = ratio;
        this.sourceBytes = sourceBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
            check();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            check();
        }
        return n;
    }

    private void check() throws LimitExceeded {
        if (count > cap) {
            throw new LimitExceeded("inflates beyond " + cap + " bytes");
        }
        if (count > allowance) {
            long source = sourceBytes.getAsLong();
            if (count - allowance > ratio * source) {
                throw new LimitExceeded("inflates to more than " + ratio + " times its " + source
                        + " compressed bytes read so far (beyond the first " + allowance + ")");
            }
        }
    }

    /** Counts the bytes read through it (the deflated source). */
    static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
