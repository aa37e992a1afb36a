package io.dicomflow.upload.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.http.HttpStatus;

/**
 * A request body that may yield at most a given number of bytes: reading past it fails with 413 (problem+json
 * {@link UploadProblems#TOO_LARGE}). The routes that read their own multipart body (form uploads, STOW-RS) read
 * it through this, so what one request can make the service spool to memory and disk is bounded by the request
 * limit, not only per part.
 */
public final class BoundedBody extends FilterInputStream {

	private final long max;

	private final SpoolPerUser.Share share;

	private long count;

	private BoundedBody(InputStream in, long max, SpoolPerUser.Share share) {
		super(in);
		this.max = max;
		this.share = share;
	}

	/** {@code in}, failing once more than {@code max} bytes have been read from it. */
	public static InputStream of(InputStream in, long max) {
		return new BoundedBody(in, max, null);
	}

	/**
	 * {@code in}, failing once more than {@code max} bytes have been read from it or once the user's requests
	 * together hold more than their share allows. The caller closes the share once the request's spooled bytes
	 * are gone (after the ingest), not when the body is read.
	 */
	public static InputStream of(InputStream in, long max, SpoolPerUser.Share share) {
		return new BoundedBody(in, max, share);
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			counted(1);
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = super.read(b, off, len);
		if (n > 0) {
			counted(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(n);
		if (skipped > 0) {
			counted(skipped);
		}
		return skipped;
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	private void counted(long n) {
		this.count += n;
		if (this.share != null) {
			this.share.charge(n);
		}
		if (this.count > this.max) {
			throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_LARGE, "Too large",
					"the request body is larger than " + this.max + " bytes");
		}
	}

}
