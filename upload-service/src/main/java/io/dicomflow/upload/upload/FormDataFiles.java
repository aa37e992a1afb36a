package io.dicomflow.upload.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.dicomflow.upload.multipart.MultipartStreamReader;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The files of a {@code multipart/form-data} upload (parts named {@code files} with a file name), read from the
 * request body by the service itself instead of the servlet container.
 *
 * <p>The container wrote every part to a temporary file (threshold 0), which the ingest then read twice (validate
 * and hash, then store): for the common case of one 0.5 MB image per request that was a disk write and two reads
 * per file, and the container's boundary search was the largest CPU item of the request threads. Here a part is
 * kept in memory while it fits both the request's budget ({@code spool-memory-per-request}) and what is left of
 * the process-wide one ({@code spool-memory-total}), and moves to a temporary file as soon as it does not; so 1,000
 * small files or a 2 GB one cost no more heap than before the budget. The whole body is read before anything is
 * ingested, as with the container: a malformed body stores nothing.
 */
final class FormDataFiles implements AutoCloseable {

	static final String FIELD = "files";

	private final List<Part> parts;

	private FormDataFiles(List<Part> parts) {
		this.parts = parts;
	}

	List<? extends IncomingFile> files() {
		return this.parts;
	}

	/**
	 * Reads every part of {@code body}.
	 * @param maxFileParts more {@code files} parts than this: 413
	 * @param maxParts more parts of any name than this: 413 (the container's part-count limit)
	 * @param maxFileSize a larger part: 413 (the container's max-file-size)
	 */
	static FormDataFiles read(InputStream body, String contentType, int maxFileParts, int maxParts, long maxFileSize,
			long memoryPerRequest, SpoolMemory memory) throws IOException {
		MediaType type;
		try {
			type = MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			throw malformed("the Content-Type is not a media type");
		}
		String boundary = type.getParameter("boundary");
		if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
			boundary = boundary.substring(1, boundary.length() - 1);
		}
		Budget budget = new Budget(memoryPerRequest, memory);
		List<Part> parts = new ArrayList<>();
		FormDataFiles result = new FormDataFiles(parts);
		try {
			MultipartStreamReader reader = MultipartStreamReader.of(body, boundary);
			int count = 0;
			while (reader.next()) {
				if (++count > maxParts) {
					throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_MANY_FILES,
							"Too many files", "the request has more parts than this service accepts");
				}
				ContentDisposition disposition = disposition(reader.headers().get("content-disposition"));
				if (!FIELD.equals(disposition.getName()) || disposition.getFilename() == null) {
					// another form field: not a file (the container made such parts request parameters)
					reader.copyPart(OutputStream.nullOutputStream());
					continue;
				}
				if (parts.size() == maxFileParts) {
					throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_MANY_FILES,
							"Too many files", "at most " + maxFileParts + " files per request");
				}
				Part part = new Part(disposition.getFilename(), budget, maxFileSize);
				parts.add(part);
				reader.copyPart(part);
				part.close();
			}
			return result;
		}
		catch (MultipartStreamReader.MalformedException ex) {
			result.close();
			throw malformed(ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			result.close();
			throw ex;
		}
	}

	private static ContentDisposition disposition(String header) {
		if (header == null) {
			throw malformed("a part has no Content-Disposition header");
		}
		try {
			return ContentDisposition.parse(header);
		}
		catch (RuntimeException ex) {
			throw malformed("a part's Content-Disposition header is malformed");
		}
	}

	private static RuntimeException malformed(String why) {
		return UploadProblems.error(HttpStatus.BAD_REQUEST, UploadProblems.MALFORMED_MULTIPART,
				"Malformed multipart request", "the multipart body could not be read: " + why);
	}

	/** Frees the parts' memory and deletes their temporary files. */
	@Override
	public void close() {
		for (Part part : this.parts) {
			part.discard();
		}
	}

	/** Memory this request may still use: its own budget, each byte also taken from the shared one. */
	private static final class Budget {

		private long left;

		private final SpoolMemory shared;

		Budget(long perRequest, SpoolMemory shared) {
			this.left = perRequest;
			this.shared = shared;
		}

		boolean take(long bytes) {
			if (bytes > this.left || !this.shared.reserve(bytes)) {
				return false;
			}
			this.left -= bytes;
			return true;
		}

		void giveBack(long bytes) {
			this.left += bytes;
			this.shared.release(bytes);
		}

	}

	/** One file: its bytes in a growing array while the budget allows, then in a temporary file. */
	private static final class Part extends OutputStream implements IncomingFile {

		private static final int FIRST_CHUNK = 8 * 1024;

		private final String name;

		private final Budget budget;

		private final long maxSize;

		private byte[] bytes = new byte[0];

		private long reserved;

		private long size;

		private Path file;

		private OutputStream fileOut;

		Part(String name, Budget budget, long maxSize) {
			this.name = name;
			this.budget = budget;
			this.maxSize = maxSize;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public long size() {
			return this.size;
		}

		@Override
		public InputStream open() throws IOException {
			return (this.file != null) ? Files.newInputStream(this.file)
					: new ByteArrayInputStream(this.bytes, 0, (int) this.size);
		}

		@Override
		public void write(int b) throws IOException {
			// the boundary search hands over single bytes around every CR of the data (1 in 256 of random bytes)
			if (this.fileOut == null && this.size < this.bytes.length && this.size < this.maxSize) {
				this.bytes[(int) this.size++] = (byte) b;
				return;
			}
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			if (this.size + len > this.maxSize) {
				throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_LARGE, "Too large",
						"a file or the request is larger than this service accepts");
			}
			if (this.fileOut == null && this.size + len > this.bytes.length && !grow(this.size + len)) {
				spill();
			}
			if (this.fileOut != null) {
				this.fileOut.write(b, off, len);
			}
			else {
				System.arraycopy(b, off, this.bytes, (int) this.size, len);
			}
			this.size += len;
		}

		/** Enlarges the array to hold {@code needed} bytes if the budget allows. */
		private boolean grow(long needed) {
			long capacity = Math.max(FIRST_CHUNK, this.bytes.length);
			while (capacity < needed) {
				capacity *= 2;
			}
			if (capacity > Integer.MAX_VALUE - 8 || !this.budget.take(capacity - this.reserved)) {
				return false;
			}
			this.reserved = capacity;
			this.bytes = Arrays.copyOf(this.bytes, (int) capacity);
			return true;
		}

		private void spill() throws IOException {
			this.file = Files.createTempFile("dicomflow-upload-", ".part");
			this.fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(this.file), 64 * 1024);
			this.fileOut.write(this.bytes, 0, (int) this.size);
			this.bytes = new byte[0];
			this.budget.giveBack(this.reserved);
			this.reserved = 0;
		}

		@Override
		public void close() throws IOException {
			if (this.fileOut != null) {
				this.fileOut.close();
			}
		}

		void discard() {
			this.bytes = new byte[0];
			if (this.reserved > 0) {
				this.budget.giveBack(this.reserved);
				this.reserved = 0;
			}
			try {
				close();
				if (this.file != null) {
					Files.deleteIfExists(this.file);
				}
			}
			catch (IOException ex) {
				// a temporary file left behind is harmless; the request's outcome matters more
			}
		}

	}

}
