package io.dicomflow.common.dicom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with {@link LimitExceeded} once more than a set number of bytes have been read (deflate bombs). */
final class CappedInputStream extends FilterInputStream {
    /** Thrown when the cap is passed. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(long cap) {
            super("more than " + cap + " bytes");
        }
    }

    private final long cap;
    private long count;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && ++count > cap) {
            throw new LimitExceeded(cap);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            if (count > cap) {
                throw new LimitExceeded(cap);
            }
        }
        return n;
    }
}
