package io.dicomflow.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.upload.UploadServiceApplication;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2 GiB DICOM file uploaded to an upload service that runs in its own JVM with {@code -Xmx256m}: the file
 * must be streamed (spooled by the container, hashed and parsed in one pass, sent to S3 in parts), never held
 * in memory. The request body is generated on the fly, so the test JVM does not hold it either.
 *
 * <p>Runs where {@code -Dlarge.upload=true} is set (CI's run does; it writes about 6 GB to disk and takes a few
 * minutes). {@code -Dlarge.upload.bytes=N} changes the pixel data size for a quicker local run.
 */
@EnabledIfSystemProperty(named = "large.upload", matches = "true")
class LargeUploadIT {

	private static final long DEFAULT_PIXEL_BYTES = 1L << 31;

	@Test
	void aTwoGigabyteFileIsStreamedThroughAServiceWith256MegabytesOfHeap() throws Exception {
		// its own infrastructure with a file-backed S3: the shared test S3 keeps objects in memory
		Path dataDir = Files.createTempDirectory("large-upload-infra");
		try (Infrastructure infrastructure = Infrastructure
			.start(new InfraOptions(InfraOptions.Mode.EMBEDDED, dataDir, true))) {
			run(infrastructure);
		}
		finally {
			org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
		}
	}

	private void run(Infrastructure infrastructure) throws Exception {
		long pixelBytes = Long.getLong("large.upload.bytes", DEFAULT_PIXEL_BYTES);
		int columns = 65_536 / 2;
		int rows = (int) (pixelBytes / columns);
		pixelBytes = (long) rows * columns;
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		String sop = Part10Writer.uid();
		// the writer's header with an OB Pixel Data element of pixelBytes whose value the test streams
		byte[] header = withPixelLength(
				Part10Writer.image(Part10Writer.SECONDARY_CAPTURE, sop, study, series, 8, 8, new byte[0]).toBytes(),
				pixelBytes, rows, columns);

		int port = freePort();
		Map<String, Object> properties = Pipeline.serviceProperties(infrastructure);
		int managementPort = freePort();
		properties.put("management.server.port", managementPort);
		Process service = startService(port, properties);
		try {
			awaitHealthy(managementPort, service);
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(header);
			String boundary = "dicomflow-large-" + System.nanoTime();
			byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"large.dcm\"\r\n"
					+ "Content-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
			byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
			long length = head.length + header.length + pixelBytes + tail.length;
			PixelStream pixels = new PixelStream(pixelBytes, digest);
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/uploads"))
				.header("Authorization", Pipeline.authorization("bob"))
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.timeout(Duration.ofMinutes(20))
				.POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
						() -> new SequenceInputStream(Collections.enumeration(List.of(new java.io.ByteArrayInputStream(head),
								new java.io.ByteArrayInputStream(header), pixels, new java.io.ByteArrayInputStream(tail))))),
						length))
				.build();
			HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			JsonNode file = Pipeline.JSON.readTree(response.body()).path("files").get(0);
			assertThat(file.path("outcome").asString()).isEqualTo("ACCEPTED");
			String sha256 = HexFormat.of().formatHex(digest.digest());
			assertThat(file.path("sha256").asString()).isEqualTo(sha256);
			assertThat(service.isAlive()).as("the service survived with -Xmx256m").isTrue();
			String bucket = infrastructure.s3Bucket();
			S3Client s3 = S3Client.builder()
				.endpointOverride(URI.create(String.valueOf(properties.get("dicomflow.storage.endpoint"))))
				.region(software.amazon.awssdk.regions.Region.US_EAST_1)
				.forcePathStyle(true)
				.credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
					.create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
							String.valueOf(properties.get("dicomflow.storage.access-key")),
							String.valueOf(properties.get("dicomflow.storage.secret-key")))))
				.build();
			String key = ObjectKeys.instanceKey("default", "bob", study, series, sop);
			HeadObjectResponse stored = s3.headObject((r) -> r.bucket(bucket).key(key));
			assertThat(stored.contentLength()).isEqualTo(header.length + pixelBytes);
			assertThat(stored.metadata()).containsEntry("sha256", sha256);
			assertThat(s3.listMultipartUploads((r) -> r.bucket(bucket)).uploads()).isEmpty();
		}
		finally {
			service.destroy();
			service.waitFor();
		}
	}

	/** Rewrites the crafted image's Rows, Columns and Pixel Data length (its last element, value empty). */
	private static byte[] withPixelLength(byte[] header, long pixelBytes, int rows, int columns) {
		byte[] out = header.clone();
		// Pixel Data is the last element: tag(4) VR(2) reserved(2) length(4), no value
		int at = out.length - 4;
		out[at] = (byte) pixelBytes;
		out[at + 1] = (byte) (pixelBytes >> 8);
		out[at + 2] = (byte) (pixelBytes >> 16);
		out[at + 3] = (byte) (pixelBytes >> 24);
		setUs(out, 0x0010, rows);
		setUs(out, 0x0011, columns);
		return out;
	}

	/** Sets the value of the (0028,eeee) US element whose value is 8 (the crafted 8x8 image's Rows/Columns). */
	private static void setUs(byte[] bytes, int element, int value) {
		for (int i = 132; i + 10 <= bytes.length; i++) {
			if (bytes[i] == 0x28 && bytes[i + 1] == 0 && bytes[i + 2] == (byte) element && bytes[i + 3] == 0
					&& bytes[i + 4] == 'U' && bytes[i + 5] == 'S') {
				bytes[i + 8] = (byte) value;
				bytes[i + 9] = (byte) (value >> 8);
				return;
			}
		}
		throw new IllegalStateException("no (0028," + Integer.toHexString(element) + ")");
	}

	private Process startService(int port, Map<String, Object> properties) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
				UploadServiceApplication.class.getName()));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--server.port=" + port);
		// 2 GiB of pixels plus the header is just above the default 2GB file limit
		command.add("--dicomflow.upload.max-file-size=3GB");
		Path log = Files.createTempFile("large-upload-service", ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** Waits for readiness on the service's management port. */
	private static void awaitHealthy(int port, Process service) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(service.isAlive()).as("upload service JVM running").isTrue();
			try {
				HttpResponse<String> health = client.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(500);
		}
		throw new AssertionError("the upload service did not become ready");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** {@code length} generated pixel bytes, hashed as they are read. */
	private static final class PixelStream extends InputStream {

		private final MessageDigest digest;

		private long left;

		private long position;

		PixelStream(long length, MessageDigest digest) {
			this.left = length;
			this.digest = digest;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (this.left == 0) {
				return -1;
			}
			int n = (int) Math.min(len, this.left);
			for (int i = 0; i < n; i++) {
				b[off + i] = (byte) ((this.position + i) % 251);
			}
			this.digest.update(b, off, n);
			this.position += n;
			this.left -= n;
			return n;
		}

	}

}
