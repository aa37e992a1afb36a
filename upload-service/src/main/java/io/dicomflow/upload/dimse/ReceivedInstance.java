package io.dicomflow.upload.dimse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dicomflow.common.dicom.net.FileMetaInformation;
import io.dicomflow.upload.upload.IncomingFile;

/**
 * One C-STORE dataset as it arrives, spooled to a temporary file behind the File Meta Information built for it,
 * so an instance is never held whole in memory; once complete, an {@link IncomingFile} for the ingest. At most
 * {@code maxBytes} are kept: beyond, the rest is read and dropped and the instance is too large.
 */
final class ReceivedInstance implements IncomingFile, AutoCloseable {

	private final String sopInstanceUid;

	private final Path file;

	private final long maxBytes;

	private OutputStream out;

	private long size;

	private boolean tooLarge;

	ReceivedInstance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
			long maxBytes) throws IOException {
		this.sopInstanceUid = sopInstanceUid;
		this.maxBytes = maxBytes;
		this.file = Files.createTempFile("dimse-", ".dcm");
		try {
			this.out = new BufferedOutputStream(Files.newOutputStream(this.file), 64 * 1024);
			write(FileMetaInformation.encode(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe), 0, -1);
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** Appends a fragment; {@code length -1}: the whole array. */
	void write(byte[] bytes, int offset, int length) throws IOException {
		int n = (length < 0) ? bytes.length : length;
		this.size += n;
		if (this.tooLarge) {
			return;
		}
		if (this.size > this.maxBytes) {
			// drop what is spooled: the instance is refused, its remaining fragments are only read
			this.tooLarge = true;
			closeStream();
			Files.deleteIfExists(this.file);
			return;
		}
		this.out.write(bytes, offset, n);
	}

	/** The last fragment arrived: the file is complete. */
	void finish() throws IOException {
		closeStream();
	}

	boolean tooLarge() {
		return this.tooLarge;
	}

	@Override
	public String name() {
		return this.sopInstanceUid;
	}

	@Override
	public long size() {
		return this.size;
	}

	@Override
	public InputStream open() throws IOException {
		return Files.newInputStream(this.file);
	}

	private void closeStream() throws IOException {
		OutputStream stream = this.out;
		this.out = null;
		if (stream != null) {
			stream.close();
		}
	}

	@Override
	public void close() {
		try {
			closeStream();
		}
		catch (IOException ex) {
			// the file is deleted next anyway
		}
		try {
			Files.deleteIfExists(this.file);
		}
		catch (IOException ex) {
			// a temporary file left behind is the OS's to clean
		}
	}

}
