package io.dicomflow.common.dicom.pixel;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An in-memory ImageInputStream for third-party codecs that fails once the codec has spent its time
 * budget or keeps reading past the end: some codecs (the jj2000 JPEG 2000 packet reader among them)
 * loop forever on corrupt codestreams, re-reading the end of the data, and would otherwise never return.
 */
final class GuardedImageInputStream extends ImageInputStreamImpl {
    private static final int MAX_READS_PAST_END = 4096;

    private final byte[] data;
    private final long deadline;
    private int readsPastEnd;

    GuardedImageInputStream(byte[] data, long budgetNanos) {
        this.data = data;
        this.deadline = System.nanoTime() + budgetNanos;
    }

    private void check() throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("codec exceeded its time budget");
        }
    }

    private int pastEnd() throws IOException {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new IOException("codec keeps reading past the end of the codestream");
        }
        return -1;
    }

    @Override
    public int read() throws IOException {
        check();
        bitOffset = 0;
        if (streamPos >= data.length) {
            return pastEnd();
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return pastEnd();
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }
}
