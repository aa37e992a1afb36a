package io.dicomflow.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Stores and fetches objects in the configured bucket. Writes stream: an object above the multipart threshold
 * is sent part by part (one part in flight, read straight from the source stream), so memory use does not grow
 * with the object; a failed multipart upload is aborted so that no parts are left behind (they would be billed
 * and invisible).
 */
public class ObjectStore {

	/** Metadata key holding the hex SHA-256 of the object's bytes. */
	public static final String SHA256 = "sha256";

	private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);

	private final S3Client s3;

	private final StorageProperties properties;

	public ObjectStore(S3Client s3, StorageProperties properties) {
		this.s3 = s3;
		this.properties = properties;
	}

	public String bucket() {
		return this.properties.bucket();
	}

	public String tenant() {
		return this.properties.tenant();
	}

	/** Bytes that can be read again from the start: each call gives a new stream, which the caller closes. */
	@FunctionalInterface
	public interface Source {

		InputStream open() throws IOException;

	}

	/**
	 * Like {@link #put(String, InputStream, long, String, Map)} from a source that can be read again: each
	 * attempt of a request (the SDK retries on throttling and 5xx) reads its bytes afresh, a multipart part
	 * from its offset, instead of relying on a bounded mark/reset buffer.
	 */
	public void put(String key, Source source, long length, String contentType, Map<String, String> metadata) {
		if (length > this.properties.multipartThreshold().toBytes()) {
			putMultipart(key, source, length, contentType, metadata);
			return;
		}
		this.s3.putObject(putRequest(key, length, contentType, metadata),
				RequestBody.fromContentProvider(() -> slice(source, 0, length), length, contentType));
	}

	private PutObjectRequest putRequest(String key, long length, String contentType, Map<String, String> metadata) {
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(bucket())
			.key(key)
			.contentType(contentType)
			.contentLength(length)
			.metadata(metadata);
		if (this.properties.encrypted()) {
			request.serverSideEncryption(ServerSideEncryption.fromValue(this.properties.serverSideEncryption()));
			if (kmsKeyId() != null) {
				request.ssekmsKeyId(kmsKeyId());
			}
		}
		return request.build();
	}

	private static InputStream slice(Source source, long offset, long length) {
		try {
			InputStream in = source.open();
			try {
				in.skipNBytes(offset);
			}
			catch (IOException | RuntimeException ex) {
				in.close();
				throw ex;
			}
			return new ExactLengthInputStream(in, length, true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void putMultipart(String key, Source source, long length, String contentType,
			Map<String, String> metadata) {
		multipart(key, length, contentType, metadata,
				(offset, size) -> RequestBody.fromContentProvider(() -> slice(source, offset, size), size, contentType));
	}

	/**
	 * Uploads exactly {@code length} bytes from {@code content} under {@code key}: a single PUT up to the
	 * multipart threshold, a multipart upload above it. Nothing remains under {@code key} if this throws
	 * (for a new key; an existing object is only replaced by a complete new one).
	 */
	public void put(String key, InputStream content, long length, String contentType, Map<String, String> metadata) {
		if (length > this.properties.multipartThreshold().toBytes()) {
			putMultipart(key, content, length, contentType, metadata);
			return;
		}
		// the SDK retries a failed attempt (e.g. on a pooled connection the server had closed) by resetting the
		// stream to its mark, which it sets 128 KiB ahead: a markable stream lets small objects survive a retry
		InputStream body = content.markSupported() ? content : new java.io.BufferedInputStream(content);
		this.s3.putObject(putRequest(key, length, contentType, metadata), RequestBody.fromInputStream(body, length));
	}

	private void putMultipart(String key, InputStream content, long length, String contentType,
			Map<String, String> metadata) {
		multipart(key, length, contentType, metadata,
				(offset, size) -> RequestBody.fromInputStream(new ExactLengthInputStream(content, size, false), size));
	}

	/** The body of the part of {@code size} bytes at {@code offset}. */
	@FunctionalInterface
	private interface PartBody {

		RequestBody of(long offset, long size);

	}

	private void multipart(String key, long length, String contentType, Map<String, String> metadata,
			PartBody body) {
		CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
			.bucket(bucket())
			.key(key)
			.contentType(contentType)
			.metadata(metadata);
		if (this.properties.encrypted()) {
			create.serverSideEncryption(ServerSideEncryption.fromValue(this.properties.serverSideEncryption()));
			if (kmsKeyId() != null) {
				create.ssekmsKeyId(kmsKeyId());
			}
		}
		String uploadId = this.s3.createMultipartUpload(create.build()).uploadId();
		try {
			long partSize = this.properties.partSize().toBytes();
			// S3 allows at most 10,000 parts: grow the parts for very large objects rather than fail
			partSize = Math.max(partSize, (length + 9_999) / 10_000);
			List<CompletedPart> parts = new ArrayList<>();
			long sent = 0;
			int number = 1;
			while (sent < length) {
				long size = Math.min(partSize, length - sent);
				int partNumber = number;
				UploadPartResponse part = this.s3.uploadPart((r) -> r.bucket(bucket())
					.key(key)
					.uploadId(uploadId)
					.partNumber(partNumber)
					.contentLength(size), body.of(sent, size));
				parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag()).build());
				sent += size;
				number++;
			}
			this.s3.completeMultipartUpload((r) -> r.bucket(bucket())
				.key(key)
				.uploadId(uploadId)
				.multipartUpload((m) -> m.parts(parts)));
		}
		catch (RuntimeException ex) {
			abortQuietly(key, uploadId);
			throw ex;
		}
	}

	private void abortQuietly(String key, String uploadId) {
		try {
			this.s3.abortMultipartUpload((r) -> r.bucket(bucket()).key(key).uploadId(uploadId));
		}
		catch (RuntimeException ex) {
			// the bucket's lifecycle rule for incomplete multipart uploads is the safety net (docs/operations)
			log.error("Could not abort multipart upload {} of {}", uploadId, key, ex);
		}
	}

	/** Multipart uploads not completed nor aborted under {@code prefix} (for checks and clean-up jobs). */
	public List<String> pendingMultipartUploads(String prefix) {
		return this.s3.listMultipartUploads((r) -> r.bucket(bucket()).prefix(prefix))
			.uploads()
			.stream()
			.map((u) -> u.key())
			.toList();
	}

	private String kmsKeyId() {
		String id = this.properties.kmsKeyId();
		return (id != null && !id.isBlank()) ? id : null;
	}

	/** Streams the object; the caller closes the stream. */
	public InputStream open(String key) {
		return this.s3.getObject((r) -> r.bucket(bucket()).key(key));
	}

	/** Copies the object into {@code target}, replacing it. */
	public void download(String key, Path target) {
		try (InputStream in = open(key)) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The object's user metadata, or empty if there is no such object. */
	public Optional<Map<String, String>> metadata(String key) {
		return head(key).map(HeadObjectResponse::metadata);
	}

	/** The object's HEAD answer (metadata, size, encryption), or empty if there is no such object. */
	public Optional<HeadObjectResponse> head(String key) {
		try {
			return Optional.of(this.s3.headObject((r) -> r.bucket(bucket()).key(key)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	public void delete(String key) {
		this.s3.deleteObject((r) -> r.bucket(bucket()).key(key));
	}

	/**
	 * Erases {@code key} for good: in a versioned bucket (compose enables versioning) a plain delete only adds
	 * a delete marker and keeps every version, so each version and marker of exactly this key is deleted by
	 * its version id. A store that does not list versions (S3Proxy answers 501) has only the current object.
	 */
	public void erase(String key) {
		try {
			var versions = this.s3.listObjectVersionsPaginator((r) -> r.bucket(bucket()).prefix(key));
			for (var page : versions) {
				for (var version : page.versions()) {
					if (version.key().equals(key)) {
						this.s3.deleteObject((r) -> r.bucket(bucket()).key(key).versionId(version.versionId()));
					}
				}
				for (var marker : page.deleteMarkers()) {
					if (marker.key().equals(key)) {
						this.s3.deleteObject((r) -> r.bucket(bucket()).key(key).versionId(marker.versionId()));
					}
				}
			}
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != 501 && ex.statusCode() != 400) {
				throw ex;
			}
		}
		// unversioned (or versions not listed): the object itself; deleting a missing key is not an error
		delete(key);
	}

	/**
	 * Gives exactly {@code length} bytes of the underlying stream; a source that ends early is an error, not a
	 * short part. Over a shared stream it does not close it (the next part reads on from where this one
	 * stopped).
	 */
	private static final class ExactLengthInputStream extends InputStream {

		private final InputStream in;

		private final boolean owns;

		private long left;

		ExactLengthInputStream(InputStream in, long length, boolean owns) {
			this.in = in;
			this.left = length;
			this.owns = owns;
		}

		@Override
		public int read() throws IOException {
			if (this.left == 0) {
				return -1;
			}
			int b = this.in.read();
			if (b < 0) {
				throw new java.io.EOFException(this.left + " bytes missing from the source");
			}
			this.left--;
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.left == 0) {
				return -1;
			}
			int n = this.in.read(b, off, (int) Math.min(len, this.left));
			if (n < 0) {
				throw new java.io.EOFException(this.left + " bytes missing from the source");
			}
			this.left -= n;
			return n;
		}

		@Override
		public void close() throws IOException {
			if (this.owns) {
				this.in.close();
			}
		}

	}

}
