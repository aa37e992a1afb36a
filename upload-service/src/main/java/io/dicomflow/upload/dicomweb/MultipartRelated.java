package io.dicomflow.upload.dicomweb;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dicomflow.upload.multipart.MultipartStreamReader;

/**
 * Reads a {@code multipart/related} body (RFC 2387 over RFC 2046 framing) part by part, writing each part's
 * bytes to its own temporary file as they arrive: a part is never held in memory, whatever its size. The
 * framing is read by {@link MultipartStreamReader}.
 */
final class MultipartRelated {

	/** The body is not a well-formed multipart body; nothing of it should be used. */
	static final class MalformedException extends Exception {

		MalformedException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * One spooled part.
	 * @param headers part headers, names in lower case
	 * @param file the part's bytes
	 * @param size number of bytes
	 */
	record Part(Map<String, String> headers, Path file, long size) {

		String contentType() {
			return this.headers.getOrDefault("content-type", "text/plain");
		}

	}

	private MultipartRelated() {
	}

	/**
	 * Spools every part of the body into {@code dir}. On any failure the files already written are deleted.
	 * @param maxParts more parts than this is a malformed request
	 */
	static List<Part> spool(InputStream body, String boundary, Path dir, int maxParts)
			throws MalformedException, IOException {
		List<Part> parts = new ArrayList<>();
		try {
			MultipartStreamReader reader = MultipartStreamReader.of(body, boundary);
			while (reader.next()) {
				if (parts.size() == maxParts) {
					throw new MalformedException("more than " + maxParts + " parts");
				}
				Map<String, String> headers = reader.headers();
				Path file = Files.createTempFile(dir, "stow-", ".part");
				parts.add(new Part(headers, file, 0));
				try (CountingOutputStream out = new CountingOutputStream(
						new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024))) {
					reader.copyPart(out);
					parts.set(parts.size() - 1, new Part(headers, file, out.count));
				}
			}
			return parts;
		}
		catch (MultipartStreamReader.MalformedException ex) {
			delete(parts);
			throw new MalformedException(ex.getMessage());
		}
		catch (MalformedException | IOException | RuntimeException ex) {
			delete(parts);
			throw ex;
		}
	}

	static void delete(List<Part> parts) {
		for (Part part : parts) {
			try {
				Files.deleteIfExists(part.file());
			}
			catch (IOException ex) {
				// a temp file left behind is harmless; the request outcome matters more
			}
		}
	}

	private static final class CountingOutputStream extends java.io.FilterOutputStream {

		long count;

		CountingOutputStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
			this.count += len;
		}

	}

}
