package io.dicomflow.worker.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.dicomflow.common.analysis.UnsupportedImageException;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.storage.ObjectStore;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import org.springframework.stereotype.Component;

/**
 * Fetches a stored image into a scratch file (verifying its SHA-256 on the way) and analyses it there, so
 * that even a very large multi-frame image is read in a streaming fashion rather than held in memory.
 */
@Component
class ImageFetchingAnalyzer {

	private final ObjectStore store;

	private final PixelAnalysis analysis;

	private final WorkerProperties properties;

	ImageFetchingAnalyzer(ObjectStore store, PixelAnalysis analysis, WorkerProperties properties) {
		this.store = store;
		this.analysis = analysis;
		this.properties = properties;
	}

	/**
	 * @return the figures, or a permanent failure
	 * @throws IOException when the object store or the scratch disk fails (worth another try)
	 */
	AnalysisOutcome analyze(ImageUploaded image, java.util.function.LongConsumer bytesRead) throws IOException {
		Path scratch = (this.properties.scratchDir() != null)
				? Files.createTempFile(Files.createDirectories(this.properties.scratchDir()), "analysis-", ".dcm")
				: Files.createTempFile("analysis-", ".dcm");
		try {
			String sha256 = fetch(image.objectKey(), scratch);
			bytesRead.accept(Files.size(scratch));
			if (!sha256.equals(image.sha256())) {
				// a truncated read looks the same as a damaged object; retrying tells them apart
				throw new IOException("stored object " + image.objectKey() + " does not match its SHA-256");
			}
			return new AnalysisOutcome.Analysed(this.analysis.analyze(scratch));
		}
		catch (NoSuchKeyException ex) {
			return new AnalysisOutcome.Unanalysable("OBJECT_MISSING",
					"the stored object " + image.objectKey() + " no longer exists");
		}
		catch (DicomParseException ex) {
			return new AnalysisOutcome.Unanalysable("MALFORMED_DICOM", ex.getMessage());
		}
		catch (UnsupportedImageException ex) {
			return new AnalysisOutcome.Unanalysable("UNSUPPORTED_IMAGE", ex.getMessage());
		}
		finally {
			Files.deleteIfExists(scratch);
		}
	}

	private String fetch(String key, Path target) throws IOException {
		try (InputStream in = new DigestInputStream(this.store.open(key), MessageDigest.getInstance("SHA-256"));
				OutputStream out = Files.newOutputStream(target)) {
			in.transferTo(out);
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
