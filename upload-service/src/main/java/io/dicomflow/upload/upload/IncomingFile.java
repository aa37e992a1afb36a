package io.dicomflow.upload.upload;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.web.multipart.MultipartFile;

/**
 * One file arriving by any route (multipart form, DICOMweb STOW part, resumable upload), as the ingest sees
 * it: a name, a size, and its bytes readable more than once (they are spooled to disk by the route).
 */
public interface IncomingFile {

	/** The client's name for the file, or null. */
	String name();

	long size();

	/** A new stream over the whole file; the caller closes it. */
	InputStream open() throws IOException;

	static IncomingFile of(MultipartFile part) {
		return new IncomingFile() {
			@Override
			public String name() {
				return part.getOriginalFilename();
			}

			@Override
			public long size() {
				return part.getSize();
			}

			@Override
			public InputStream open() throws IOException {
				return part.getInputStream();
			}
		};
	}

}
