package io.dicomflow.common.storage;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 * @param tenant first segment of every object key
 */
@Validated
@ConfigurationProperties("dicomflow.storage")
public record StorageProperties(URI endpoint, @DefaultValue("us-east-1") @NotBlank String region, String accessKey,
		String secretKey, @DefaultValue("dicomflow") @NotBlank String bucket, @DefaultValue("true") boolean pathStyle,
		@DefaultValue("false") boolean createBucket, @DefaultValue("none") String serverSideEncryption,
		@DefaultValue("default") @NotBlank String tenant) {

}
