package io.dicomflow.common.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client {@link StorageConfiguration} builds, against the embedded S3 server: a PUT carries no SDK checksum
 * trailer (no CRC32 computed per upload) and a GET asks for no checksum validation, while the object keeps the
 * SHA-256 metadata every reader checks, its bytes arrive intact, and the payload is still signed over plain HTTP.
 */
class ObjectStoreChecksumsIT {

	private static Infrastructure infrastructure;

	private static final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

	private static S3Client s3;

	private static ObjectStore store;

	@BeforeAll
	static void start() {
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		Map<String, Object> p = infrastructure.springProperties();
		StorageProperties properties = new StorageProperties(URI.create((String) p.get("dicomflow.storage.endpoint")),
				(String) p.get("dicomflow.storage.region"), (String) p.get("dicomflow.storage.access-key"),
				(String) p.get("dicomflow.storage.secret-key"), infrastructure.s3Bucket(), true, false, "none", null,
				"test", null, null);
		s3 = StorageConfiguration.clientBuilder(properties)
			.overrideConfiguration((c) -> c.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
					sent.add(context.httpRequest());
				}
			}))
			.build();
		store = new ObjectStore(s3, properties);
	}

	@AfterAll
	static void stop() {
		if (s3 != null) {
			s3.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@Test
	void putAndGetWithoutSdkChecksumsKeepTheBytesAndTheirSha256() throws Exception {
		byte[] content = new byte[600_000]; // larger than the SDK's 128 KiB chunk: several signed chunks
		new Random(42).nextBytes(content);
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		String key = "test/checksums/" + sha256;
		sent.clear();

		store.put(key, () -> new ByteArrayInputStream(content), content.length, "application/dicom",
				Map.of(ObjectStore.SHA256, sha256));
		byte[] read;
		try (InputStream in = store.open(key)) {
			read = in.readAllBytes();
		}

		assertThat(read).isEqualTo(content);
		assertThat(store.metadata(key)).hasValueSatisfying((m) -> assertThat(m).containsEntry(ObjectStore.SHA256, sha256));
		SdkHttpRequest put = sent.stream().filter((r) -> r.method().name().equals("PUT")).findFirst().orElseThrow();
		assertThat(put.headers().keySet()).noneMatch((h) -> h.equalsIgnoreCase("x-amz-trailer")
				|| h.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-checksum-")
				|| h.equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
		// over plain HTTP the SDK still signs the payload chunk by chunk (no trailer)
		assertThat(put.firstMatchingHeader("x-amz-content-sha256")).hasValue("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
		SdkHttpRequest get = sent.stream().filter((r) -> r.method().name().equals("GET")).findFirst().orElseThrow();
		assertThat(get.headers().keySet()).noneMatch((h) -> h.equalsIgnoreCase("x-amz-checksum-mode"));
	}

}
