package io.dicomflow.common.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The S3 client and the {@link ObjectStore} on top of it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

	private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

	@Bean(destroyMethod = "close")
	S3Client s3Client(StorageProperties properties) {
		S3Client client = clientBuilder(properties).build();
		if (properties.createBucket()) {
			ensureBucket(client, properties.bucket());
		}
		return client;
	}

	/**
	 * The client's settings. The SDK's own CRC32 checksums (computed on every PUT and sent as a trailer, checked
	 * on every GET) are off unless an operation requires one: every object carries the SHA-256 computed while
	 * its upload was validated ({@link ObjectStore#SHA256}), and every reader of an image checks it
	 * (the analysis worker's fetch), which is the end-to-end check a CRC of one hop cannot replace. Measured in
	 * docs/benchmarks.md ("CPU by thread group"); over plain HTTP the SDK still signs each chunk of the payload.
	 */
	static S3ClientBuilder clientBuilder(StorageProperties properties) {
		S3ClientBuilder builder = S3Client.builder()
			.region(Region.of(properties.region()))
			.forcePathStyle(properties.pathStyle())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (properties.endpoint() != null) {
			builder.endpointOverride(properties.endpoint());
		}
		if (properties.accessKey() != null && !properties.accessKey().isBlank()) {
			builder.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(properties.accessKey(), properties.secretKey())));
		}
		else {
			builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
		}
		return builder;
	}

	@Bean
	ObjectStore objectStore(S3Client s3, StorageProperties properties) {
		return new ObjectStore(s3, properties);
	}

	private static void ensureBucket(S3Client client, String bucket) {
		try {
			client.headBucket((r) -> r.bucket(bucket));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != 404) {
				throw ex;
			}
			try {
				client.createBucket((r) -> r.bucket(bucket));
				log.info("Created bucket {}", bucket);
			}
			catch (BucketAlreadyOwnedByYouException raced) {
				// another service created it first
			}
		}
	}

}
