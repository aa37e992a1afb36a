package io.dicomflow.common.storage;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encryption at rest is the default: a deployment that says nothing about it sends
 * {@code x-amz-server-side-encryption: AES256} with every object it writes (single PUT and multipart
 * create), and only an explicit {@code none} turns that off. The requests are caught as signed, just before
 * they would go on the wire.
 */
class ObjectStoreEncryptionTest {

	@Test
	void encryptionIsOnWhenNothingIsConfigured() {
		StorageProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("dicomflow.storage", StorageProperties.class);

		assertThat(defaults.serverSideEncryption()).isEqualTo("AES256");
		assertThat(defaults.encrypted()).isTrue();
	}

	@Test
	void aSinglePutAndAMultipartUploadAskForAes256ByDefault() {
		List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
		ObjectStore store = new ObjectStore(client(sent), properties("AES256"));

		attempt(() -> store.put("t/small", new ByteArrayInputStream(new byte[10]), 10, "application/dicom", Map.of()));
		attempt(() -> store.put("t/large", new ByteArrayInputStream(new byte[7 * 1024 * 1024]), 7 * 1024 * 1024,
				"application/dicom", Map.of()));

		assertThat(sent).hasSize(2);
		assertThat(sent.get(0).method().name()).isEqualTo("PUT");
		assertThat(sent.get(0).firstMatchingHeader("x-amz-server-side-encryption")).hasValue("AES256");
		// CreateMultipartUpload: the parts inherit the encryption chosen here
		assertThat(sent.get(1).method().name()).isEqualTo("POST");
		assertThat(sent.get(1).rawQueryParameters()).containsKey("uploads");
		assertThat(sent.get(1).firstMatchingHeader("x-amz-server-side-encryption")).hasValue("AES256");
	}

	@Test
	void noneSendsNoEncryptionHeader() {
		List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
		ObjectStore store = new ObjectStore(client(sent), properties("none"));

		attempt(() -> store.put("t/small", new ByteArrayInputStream(new byte[10]), 10, "application/dicom", Map.of()));

		assertThat(sent).hasSize(1);
		assertThat(sent.get(0).firstMatchingHeader("x-amz-server-side-encryption")).isEmpty();
	}

	private static StorageProperties properties(String sse) {
		return new StorageProperties(URI.create("http://127.0.0.1:9"), "us-east-1", "key", "secret", "bucket", true,
				false, sse, null, "default", DataSize.ofMegabytes(6), DataSize.ofMegabytes(5));
	}

	private static void attempt(Runnable put) {
		assertThatThrownBy(put::run).hasStackTraceContaining(Caught.class.getSimpleName());
	}

	/** Records each request as it would be sent, then stops it. */
	private static S3Client client(List<SdkHttpRequest> sent) {
		return S3Client.builder()
			.endpointOverride(URI.create("http://127.0.0.1:9"))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
			.overrideConfiguration((c) -> c.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public void beforeTransmission(Context.BeforeTransmission context,
						ExecutionAttributes executionAttributes) {
					sent.add(context.httpRequest());
					throw new Caught();
				}
			}))
			.build();
	}

	private static final class Caught extends RuntimeException {

		Caught() {
			super("stopped before transmission");
		}

	}

}
