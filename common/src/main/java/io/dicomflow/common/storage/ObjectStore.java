package io.dicomflow.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Stores and fetches objects in the configured bucket. */
public class ObjectStore {

	/** Metadata key holding the hex SHA-256 of the object's bytes. */
	public static final String SHA256 = "sha256";

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

	/** Uploads {@code length} bytes from {@code content} under {@code key}. */
	public void put(String key, InputStream content, long length, String contentType, Map<String, String> metadata) {
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(bucket())
			.key(key)
			.contentType(contentType)
			.contentLength(length)
			.metadata(metadata);
		String sse = this.properties.serverSideEncryption();
		if (sse != null && !sse.isBlank() && !"none".equalsIgnoreCase(sse)) {
			request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
		}
		this.s3.putObject(request.build(), RequestBody.fromInputStream(content, length));
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
	public java.util.Optional<Map<String, String>> metadata(String key) {
		try {
			HeadObjectResponse head = this.s3.headObject((r) -> r.bucket(bucket()).key(key));
			return java.util.Optional.of(head.metadata());
		}
		catch (NoSuchKeyException ex) {
			return java.util.Optional.empty();
		}
		catch (software.amazon.awssdk.services.s3.model.S3Exception ex) {
			if (ex.statusCode() == 404) {
				return java.util.Optional.empty();
			}
			throw ex;
		}
	}

	public void delete(String key) {
		this.s3.deleteObject((r) -> r.bucket(bucket()).key(key));
	}

}
