package io.dicomflow.common.storage;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where uploaded files are kept.
 *
 * @param endpoint S3 endpoint; empty for AWS itself
 * @param region signing region
 * @param accessKey static access key; empty to use the SDK's default credential chain (IAM role, env, ...)
 * @param secretKey static secret key, with {@code accessKey}
 * @param bucket bucket name
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), needed by most S3 look-alikes
 * @param createBucket create the bucket at start if missing (standalone mode and tests)
 * @param serverSideEncryption {@code none}, {@code AES256} (SSE-S3) or {@code aws:kms} (SSE-KMS)
 * @param kmsKeyId KMS key for {@code aws:kms}; empty for the account's default key
 * @param tenant first segment of every object key
 * @param multipartThreshold objects larger than this are sent with S3 multipart upload
 * @param partSize size of each multipart part (S3 needs at least 5 MB, at most 10,000 parts per object)
 */
@Validated
@ConfigurationProperties("dicomflow.storage")
public record StorageProperties(URI endpoint, @DefaultValue("us-east-1") @NotBlank String region, String accessKey,
		String secretKey, @DefaultValue("dicomflow") @NotBlank String bucket, @DefaultValue("true") boolean pathStyle,
		@DefaultValue("false") boolean createBucket, @DefaultValue("AES256") String serverSideEncryption,
		String kmsKeyId, @DefaultValue("default") @NotBlank String tenant,
		@DefaultValue("32MB") DataSize multipartThreshold, @DefaultValue("16MB") DataSize partSize) {

	/** The smallest part S3 accepts (except for the last one). */
	static final long MIN_PART = 5L * 1024 * 1024;

	public StorageProperties {
		if (multipartThreshold == null) {
			multipartThreshold = DataSize.ofMegabytes(32);
		}
		if (partSize == null) {
			partSize = DataSize.ofMegabytes(16);
		}
		if (partSize.toBytes() < MIN_PART) {
			throw new IllegalArgumentException("dicomflow.storage.part-size must be at least 5MB");
		}
	}

	/** Whether objects are written with server-side encryption. */
	public boolean encrypted() {
		return this.serverSideEncryption != null && !this.serverSideEncryption.isBlank()
				&& !"none".equalsIgnoreCase(this.serverSideEncryption);
	}

}
