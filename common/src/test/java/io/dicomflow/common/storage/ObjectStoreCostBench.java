package io.dicomflow.common.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPU of storing and reading back one 0.5 MiB image through {@link ObjectStore}, client and the embedded S3 server
 * (S3Proxy, in this JVM) together: the SDK's defaults (CRC32 computed and sent as a trailer on every PUT,
 * checked on every GET) against the client {@link StorageConfiguration} builds. Rounds alternate so that a
 * change of the machine's load hits both. Named *Bench so that no build runs it; run by hand:
 * {@code ./mvnw -B -o -pl common -am test -Dtest=ObjectStoreCostBench -Dsurefire.failIfNoSpecifiedTests=false}
 * (docs/benchmarks.md).
 */
class ObjectStoreCostBench {

	private static final int SIZE = 512 * 1024 + 2048;

	private static final int N = Integer.getInteger("bench.n", 300);

	@Test
	void putAndGet() throws Exception {
		try (Infrastructure infra = Infrastructure.start(InfraOptions.forTests())) {
			Map<String, Object> p = infra.springProperties();
			StorageProperties properties = new StorageProperties(URI.create((String) p.get("dicomflow.storage.endpoint")),
					(String) p.get("dicomflow.storage.region"), (String) p.get("dicomflow.storage.access-key"),
					(String) p.get("dicomflow.storage.secret-key"), infra.s3Bucket(), true, false, "none", null, "bench",
					null, null);
			byte[] content = new byte[SIZE];
			new Random(7).nextBytes(content);
			try (S3Client sdkDefaults = StorageConfiguration.clientBuilder(properties)
				.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
				.responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
				.build(); S3Client configured = StorageConfiguration.clientBuilder(properties).build()) {
				ObjectStore before = new ObjectStore(sdkDefaults, properties);
				ObjectStore after = new ObjectStore(configured, properties);
				round(before, content, N, "warm-up");
				round(after, content, N, "warm-up");
				double[] b = new double[3];
				double[] a = new double[3];
				for (int r = 0; r < 3; r++) {
					b[r] = round(before, content, N, "sdk-defaults");
					a[r] = round(after, content, N, "configured");
				}
				System.out.printf(Locale.ROOT,
						"ObjectStoreCostBench: process CPU ms per 0.5 MiB put + get, SDK defaults %.2f %.2f %.2f; "
								+ "configured %.2f %.2f %.2f%n", b[0], b[1], b[2], a[0], a[1], a[2]);
				assertThat(java.util.Arrays.stream(a).min().orElseThrow()).isPositive();
			}
		}
	}

	/** Process CPU ms per put + get of {@code n} objects. */
	private static double round(ObjectStore store, byte[] content, int n, String label) throws Exception {
		var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpu = os.getProcessCpuTime();
		for (int i = 0; i < n; i++) {
			String key = "bench/" + label + "/" + i;
			store.put(key, () -> new ByteArrayInputStream(content), content.length, "application/dicom",
					Map.of(ObjectStore.SHA256, "0".repeat(64)));
			try (InputStream in = store.open(key)) {
				in.transferTo(OutputStreamSink.INSTANCE);
			}
			store.delete(key);
		}
		return (os.getProcessCpuTime() - cpu) / 1e6 / n;
	}

	private static final class OutputStreamSink extends java.io.OutputStream {

		static final OutputStreamSink INSTANCE = new OutputStreamSink();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
