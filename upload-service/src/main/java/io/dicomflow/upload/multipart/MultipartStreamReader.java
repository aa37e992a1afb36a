package io.dicomflow.upload.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart body (RFC 2046 framing: {@code multipart/related}, {@code multipart/form-data}) part by part
 * from a stream, handing each part's bytes to an output stream as they arrive: the reader itself holds only its
 * 64 KB buffer and one part's headers, whatever the parts' sizes.
 *
 * <p>The delimiter ({@code CRLF--boundary}) is searched with Knuth-Morris-Pratt, so bytes that only begin like
 * a delimiter are written out as soon as they cannot be one; every byte is looked at once, and runs of bytes that
 * cannot start a delimiter are copied in blocks (a multi-gigabyte part costs no per-byte calls).
 */
public final class MultipartStreamReader {

	/** The body is not a well-formed multipart body; nothing of it should be used. */
	public static final class MalformedException extends Exception {

		public MalformedException(String message) {
			super(message, null, false, false);
		}

	}

	private static final int MAX_HEADER_BYTES = 16 * 1024;

	private static final int MAX_BOUNDARY = 256;

	private final InputStream in;

	private final byte[] buffer = new byte[64 * 1024];

	private int position;

	private int limit;

	private final byte[] delimiter;

	private final int[] failure;

	private boolean started;

	private boolean inPart;

	private Map<String, String> headers = Map.of();

	private MultipartStreamReader(InputStream in, String boundary) {
		this.in = in;
		this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		this.failure = failureFunction(this.delimiter);
	}

	/** A reader of {@code body}, whose parts are separated by {@code boundary} (unquoted). */
	public static MultipartStreamReader of(InputStream body, String boundary) throws MalformedException {
		// RFC 2046 allows 70 characters, but real clients send more (Orthanc: two UUIDs, 73): be lenient
		if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
			throw new MalformedException("the boundary parameter is missing or longer than " + MAX_BOUNDARY + " characters");
		}
		return new MultipartStreamReader(body, boundary);
	}

	/**
	 * Moves to the next part (skipping the rest of the current one) and reads its headers.
	 * @return false after the close delimiter
	 */
	public boolean next() throws IOException, MalformedException {
		if (!this.started) {
			this.started = true;
			// the first delimiter may come without its CRLF: start as if the CRLF had been seen
			if (!scan(OutputStream.nullOutputStream(), 2)) {
				throw new MalformedException("no multipart boundary found");
			}
		}
		else if (this.inPart) {
			copyPart(OutputStream.nullOutputStream());
		}
		if (!afterDelimiter()) {
			return false;
		}
		this.headers = readHeaders();
		this.inPart = true;
		return true;
	}

	/** The current part's headers, names in lower case. */
	public Map<String, String> headers() {
		return this.headers;
	}

	/** Writes the rest of the current part's bytes to {@code out}. */
	public void copyPart(OutputStream out) throws IOException, MalformedException {
		if (!this.inPart) {
			return;
		}
		this.inPart = false;
		if (!scan(out, 0)) {
			throw new MalformedException("the body ends inside a part (no closing boundary)");
		}
	}

	/**
	 * Copies bytes to {@code out} until the delimiter has been read.
	 * @param matched how many delimiter bytes count as already matched
	 * @return false if the stream ended first
	 */
	private boolean scan(OutputStream out, int matched) throws IOException {
		int j = matched;
		byte first = this.delimiter[0];
		while (true) {
			if (this.position == this.limit && !fill()) {
				return false;
			}
			if (j == 0) {
				// outside any partial match only a CR can begin a delimiter: copy everything before it at once
				int start = this.position;
				while (this.position < this.limit && this.buffer[this.position] != first) {
					this.position++;
				}
				if (this.position > start) {
					out.write(this.buffer, start, this.position - start);
				}
				if (this.position == this.limit) {
					continue;
				}
			}
			byte b = this.buffer[this.position++];
			while (j > 0 && this.delimiter[j] != b) {
				int fallback = this.failure[j - 1];
				// the bytes between the old and the new partial match can no longer be part of a delimiter
				out.write(this.delimiter, 0, j - fallback);
				j = fallback;
			}
			if (this.delimiter[j] == b) {
				j++;
				if (j == this.delimiter.length) {
					return true;
				}
			}
			else {
				out.write(b);
			}
		}
	}

	/** One byte, or -1 at the end of the stream. */
	private int read() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xFF;
	}

	private boolean fill() throws IOException {
		int n;
		do {
			n = this.in.read(this.buffer, 0, this.buffer.length);
		}
		while (n == 0);
		if (n < 0) {
			return false;
		}
		this.position = 0;
		this.limit = n;
		return true;
	}

	/** After a delimiter: true if a part follows, false after the close delimiter {@code --}. */
	private boolean afterDelimiter() throws IOException, MalformedException {
		int first = read();
		if (first == '-') {
			if (read() == '-') {
				return false;
			}
			throw new MalformedException("malformed close delimiter");
		}
		int b = first;
		// transport padding (RFC 2046 §5.1.1) before the line break
		while (b == ' ' || b == '\t') {
			b = read();
		}
		if (b != '\r' || read() != '\n') {
			throw new MalformedException("a boundary line does not end with CRLF");
		}
		return true;
	}

	private Map<String, String> readHeaders() throws IOException, MalformedException {
		Map<String, String> result = new LinkedHashMap<>();
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int total = 0;
		String last = null;
		while (true) {
			int b = read();
			if (b == -1) {
				throw new MalformedException("the body ends inside part headers");
			}
			if (++total > MAX_HEADER_BYTES) {
				throw new MalformedException("part headers longer than " + MAX_HEADER_BYTES + " bytes");
			}
			if (b != '\n') {
				line.write(b);
				continue;
			}
			String text = line.toString(StandardCharsets.ISO_8859_1);
			line.reset();
			if (text.endsWith("\r")) {
				text = text.substring(0, text.length() - 1);
			}
			if (text.isEmpty()) {
				return result;
			}
			if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && last != null) {
				result.merge(last, " " + text.strip(), String::concat);
				continue;
			}
			int colon = text.indexOf(':');
			if (colon <= 0) {
				throw new MalformedException("a part header line has no name");
			}
			last = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
			result.put(last, text.substring(colon + 1).strip());
		}
	}

	private static int[] failureFunction(byte[] pattern) {
		int[] failure = new int[pattern.length];
		int k = 0;
		for (int i = 1; i < pattern.length; i++) {
			while (k > 0 && pattern[k] != pattern[i]) {
				k = failure[k - 1];
			}
			if (pattern[k] == pattern[i]) {
				k++;
			}
			failure[i] = k;
		}
		return failure;
	}

}
