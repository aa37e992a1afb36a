package io.dicomflow.standalone;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * tus 1.0: an upload whose PATCH connection breaks halfway resumes from the offset the server reports, is
 * checked with Upload-Checksum, and goes through the same ingest as a POST; a wrong offset is 409, a wrong
 * checksum 460, termination removes the upload.
 */
class TusIT {

	private final Pipeline pipeline = Pipeline.get();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void anInterruptedUploadResumesFromItsOffsetAndIsIngested() throws Exception {
		byte[] file = Part10Writer.image(Part10Writer.SECONDARY_CAPTURE, Part10Writer.uid(), Part10Writer.uid(),
				Part10Writer.uid(), 256, 256, pattern(256 * 256)).toBytes();
		String location = create(file.length, "resumed.dcm");

		// the connection breaks after 40,000 of the file's bytes: the server keeps what arrived
		int sent = 40_000;
		URI base = URI.create(this.pipeline.services.uploadUrl());
		try (Socket socket = new Socket(base.getHost(), base.getPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(("PATCH " + location + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
					+ "Authorization: " + Pipeline.authorization("alice") + "\r\nTus-Resumable: 1.0.0\r\n"
					+ "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
					+ "Content-Length: " + file.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(file, 0, sent);
			out.flush();
		}
		long offset = await().atMost(Duration.ofSeconds(20)).until(() -> offset(location), (o) -> o == sent);
		assertThat(offset).isEqualTo(sent);

		HttpResponse<String> wrongOffset = patch(location, 0, Arrays.copyOfRange(file, 0, 10), null);
		assertThat(wrongOffset.statusCode()).isEqualTo(409);

		byte[] rest = Arrays.copyOfRange(file, sent, file.length);
		HttpResponse<String> badChecksum = patch(location, sent, rest, "sha1 " + Base64.getEncoder().encodeToString(new byte[20]));
		assertThat(badChecksum.statusCode()).isEqualTo(460);
		assertThat(offset(location)).isEqualTo(sent);

		String checksum = "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(rest));
		HttpResponse<String> last = patch(location, sent, rest, checksum);
		assertThat(last.statusCode()).isEqualTo(204);
		assertThat(last.headers().firstValue("Upload-Offset")).hasValue(Long.toString(file.length));

		JsonNode receipt = Pipeline.JSON.readTree(send(HttpRequest.newBuilder(uri(location)).GET()).body());
		JsonNode outcome = receipt.path("files").get(0);
		assertThat(outcome.path("outcome").asString()).isEqualTo("ACCEPTED");
		assertThat(outcome.path("name").asString()).isEqualTo("resumed.dcm");
		String sha256 = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
		assertThat(outcome.path("sha256").asString()).isEqualTo(sha256);
		JsonNode upload = this.pipeline.get("alice", "/api/uploads/" + receipt.path("uploadId").asString()).body();
		assertThat(upload.path("files").get(0).path("sizeBytes").asLong()).isEqualTo(file.length);
	}

	@Test
	void discoveryAndTermination() throws Exception {
		HttpResponse<String> options = send(HttpRequest.newBuilder(uri("/api/uploads/tus"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
		assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
		assertThat(options.headers().firstValue("Tus-Extension").orElseThrow()).contains("creation", "termination",
				"checksum");
		String location = create(100, "gone.dcm");
		assertThat(send(HttpRequest.newBuilder(uri(location)).DELETE()).statusCode()).isEqualTo(204);
		HttpResponse<String> head = send(HttpRequest.newBuilder(uri(location))
			.method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(404);
	}

	private String create(long length, String name) throws Exception {
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/uploads/tus"))
			.header("Upload-Length", Long.toString(length))
			.header("Upload-Metadata",
					"filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(created.statusCode()).isEqualTo(201);
		return created.headers().firstValue("Location").orElseThrow();
	}

	private long offset(String location) throws Exception {
		return Long.parseLong(send(HttpRequest.newBuilder(uri(location))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())).headers().firstValue("Upload-Offset").orElse("-1"));
	}

	private HttpResponse<String> patch(String location, long offset, byte[] bytes, String checksum) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(location))
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (checksum != null) {
			request.header("Upload-Checksum", checksum);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.header("Authorization", Pipeline.authorization("alice"))
			.header("Tus-Resumable", "1.0.0")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create(this.pipeline.services.uploadUrl() + path);
	}

	private static byte[] pattern(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (i * 7);
		}
		return bytes;
	}


}
