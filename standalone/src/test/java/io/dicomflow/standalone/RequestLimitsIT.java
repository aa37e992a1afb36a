package io.dicomflow.standalone;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.upload.UploadServiceApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request limits answered 413 problem+json, with nothing of the request kept: a JSON body above 16 MB (declared
 * or chunked) on the upload and notification services; a session declaring more than 10,000 files; a form with
 * more parts than the configured files plus ten (it was 100,010 whatever the file limit); the total bytes of
 * one form, STOW-RS or session request above the request limit, and one user's requests in progress together
 * above their per-user share (an upload service started with a 1 MB request limit and a 1.5 MB share).
 */
class RequestLimitsIT {

	private static final String TOO_LARGE = "https://dicomflow.io/problems/too-large";

	private static final String TOO_MANY_FILES = "https://dicomflow.io/problems/too-many-files";

	private final Pipeline pipeline = Pipeline.get();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void jsonBodiesAboveSixteenMegabytesAre413WhetherDeclaredOrChunked() throws Exception {
		int limit = 16 << 20;
		String upload = this.pipeline.services.uploadUrl();
		String notifications = this.pipeline.services.notificationWebSocketUrl().replace("ws://", "http://")
			.replace("/ws", "");
		// over raw sockets, sending no more than the server reads, so that the server closing the connection
		// after its 413 cannot reset it under the answer: a declared length is refused before any body byte
		assertRawProblem(upload, "POST /api/elements/", JSON + "Content-Length: " + (limit + 1), new byte[0], TOO_LARGE);
		assertRawProblem(notifications, "PUT /api/notifications/preferences", JSON + "Content-Length: " + (limit + 1),
				new byte[0], TOO_LARGE);
		// chunked (no length declared): a whole body of limit + 1 bytes is read, then refused
		ByteArrayOutputStream chunked = new ByteArrayOutputStream();
		chunked.writeBytes((Integer.toHexString(limit + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		byte[] spaces = new byte[limit + 1];
		Arrays.fill(spaces, (byte) ' ');
		chunked.writeBytes(spaces);
		chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		byte[] prefix = chunked.toByteArray();
		assertRawProblem(upload, "POST /api/elements/", JSON + "Transfer-Encoding: chunked", prefix, TOO_LARGE);
		assertRawProblem(notifications, "PUT /api/notifications/preferences", JSON + "Transfer-Encoding: chunked",
				prefix, TOO_LARGE);
		// below the limit the body reaches its handler, chunked too
		byte[] small = ("{\"id\": \"limits-" + java.util.UUID.randomUUID()
				+ "\", \"device_name\": \"CT\", \"data\": [\"1 2 3\"]}").getBytes(StandardCharsets.UTF_8);
		assertThat(send(upload + "/api/elements/", "POST", "application/json",
				HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).statusCode())
			.isEqualTo(201);
	}

	private static final String JSON = "Content-Type: application/json\r\n";

	/** The answer's body after {@code headers}: by its Content-Length, or chunked. */
	private static byte[] body(java.io.DataInputStream in, String headers) throws java.io.IOException {
		java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
		if (length.find()) {
			byte[] body = new byte[Integer.parseInt(length.group(1))];
			in.readFully(body);
			return body;
		}
		assertThat(headers.toLowerCase(java.util.Locale.ROOT)).contains("transfer-encoding: chunked");
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			StringBuilder line = new StringBuilder();
			while (!line.toString().endsWith("\r\n")) {
				line.append((char) in.readUnsignedByte());
			}
			int size = Integer.parseInt(line.toString().strip().split(";")[0], 16);
			if (size == 0) {
				return body.toByteArray();
			}
			byte[] chunk = new byte[size];
			in.readFully(chunk);
			body.writeBytes(chunk);
			in.readUnsignedByte();
			in.readUnsignedByte();
		}
	}

	/**
	 * Sends the request line, headers and {@code body} (all or the start of it) and checks the 413 problem+json
	 * answer. Raw, sending no more than the server reads before it refuses, so that the server closing the
	 * connection after its 413 cannot reset it under the answer.
	 */
	private static void assertRawProblem(String base, String requestLine, String headers, byte[] body, String type)
			throws Exception {
		URI uri = URI.create(base);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write((requestLine + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: "
					+ Pipeline.authorization("alice") + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
			StringBuilder answered = new StringBuilder();
			while (!answered.toString().endsWith("\r\n\r\n")) {
				answered.append((char) in.readUnsignedByte());
			}
			String text = answered.toString();
			assertThat(text).as(requestLine).startsWith("HTTP/1.1 413");
			assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json");
			JsonNode problem = Pipeline.JSON.readTree(body(in, text));
			assertThat(problem.path("type").asString()).isEqualTo(type);
			assertThat(problem.path("status").asInt()).isEqualTo(413);
		}
	}

	@Test
	void aSessionDeclaresAtMostTenThousandFiles() throws Exception {
		String upload = this.pipeline.services.uploadUrl();
		assertProblem(send(upload + "/api/uploads/sessions", "POST", "application/json",
				HttpRequest.BodyPublishers.ofString("{\"files\": 10001}")), 413, TOO_MANY_FILES);
		assertThat(send(upload + "/api/uploads/sessions", "POST", "application/json",
				HttpRequest.BodyPublishers.ofString("{\"files\": 10000}")).statusCode()).isEqualTo(201);
	}

	@Test
	void aFormHasAtMostTheConfiguredFilesPlusTenParts() throws Exception {
		// the test pipeline allows 10,000 files: 10,010 parts
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int i = 0; i < 10_011; i++) {
			body.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nx\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes("--b--\r\n".getBytes(StandardCharsets.US_ASCII));
		assertProblem(send(this.pipeline.services.uploadUrl() + "/api/uploads", "POST",
				"multipart/form-data; boundary=b", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 413,
				TOO_MANY_FILES);
		// the session route's body is parsed by the servlet container: the same count applies there
		HttpResponse<String> session = send(this.pipeline.services.uploadUrl() + "/api/uploads/sessions", "POST",
				"application/json", HttpRequest.BodyPublishers.ofString("{\"files\": 1}"));
		String id = Pipeline.JSON.readTree(session.body()).path("id").asString();
		assertProblem(send(this.pipeline.services.uploadUrl() + "/api/uploads/sessions/" + id + "/files", "POST",
				"multipart/form-data; boundary=b", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 413,
				TOO_MANY_FILES);
	}

	@Test
	void theBytesOfOneRequestAreCappedOnEveryUploadRoute() throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>(Pipeline.serviceProperties(this.pipeline.infrastructure));
		properties.put("server.port", 0);
		properties.put("dicomflow.upload.max-request-size", "1MB");
		properties.put("dicomflow.upload.max-spool-per-user", "1536KB");
		ConfigurableApplicationContext service = UploadServiceApplication.start(properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new));
		try {
			String base = "http://127.0.0.1:" + DicomflowServices.port(service);
			JdbcTemplate db = service.getBean(JdbcTemplate.class);
			long files = db.queryForObject("select count(*) from upload_file", Long.class);
			byte[] part = new byte[600 * 1024];
			Arrays.fill(part, (byte) 'x');

			ByteArrayOutputStream form = new ByteArrayOutputStream();
			for (int i = 0; i < 2; i++) {
				form.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f" + i
						+ ".dcm\"\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				form.writeBytes(part);
				form.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			form.writeBytes("--b--\r\n".getBytes(StandardCharsets.US_ASCII));
			// the whole length declared, a little more than the limit sent: refused once the limit is crossed
			byte[] formBytes = form.toByteArray();
			assertRawProblem(base, "POST /api/uploads", "Content-Type: multipart/form-data; boundary=b\r\n"
					+ "Content-Length: " + formBytes.length, Arrays.copyOf(formBytes, (1 << 20) + 1024), TOO_LARGE);

			ByteArrayOutputStream stow = new ByteArrayOutputStream();
			for (int i = 0; i < 2; i++) {
				stow.writeBytes("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				stow.writeBytes(part);
				stow.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			stow.writeBytes("--b--\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] stowBytes = stow.toByteArray();
			assertRawProblem(base, "POST /dicomweb/studies",
					"Content-Type: multipart/related; type=\"application/dicom\"; boundary=b\r\nContent-Length: "
							+ stowBytes.length,
					Arrays.copyOf(stowBytes, (1 << 20) + 1024), TOO_LARGE);

			HttpResponse<String> session = send(base + "/api/uploads/sessions", "POST", "application/json",
					HttpRequest.BodyPublishers.ofString("{\"files\": 2}"));
			assertThat(session.statusCode()).isEqualTo(201);
			String id = Pipeline.JSON.readTree(session.body()).path("id").asString();
			// parsed by the container, which refuses the declared length before reading
			assertRawProblem(base, "POST /api/uploads/sessions/" + id + "/files",
					"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + formBytes.length, new byte[0],
					TOO_LARGE);

			assertThat(db.queryForObject("select count(*) from upload_file", Long.class)).isEqualTo(files);

			// one user's requests in progress together: a request holding 900 KB (its body not finished) leaves
			// room for 636 KB more; once it ends, its bytes are free again
			byte[] half = new byte[700 * 1024];
			ByteArrayOutputStream second = new ByteArrayOutputStream();
			second.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"s.dcm\"\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			second.writeBytes(half);
			second.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
			URI uri = URI.create(base);
			try (Socket slow = new Socket(uri.getHost(), uri.getPort())) {
				OutputStream out = slow.getOutputStream();
				out.write(("POST /api/uploads HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: "
						+ Pipeline.authorization("alice") + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
						+ "Content-Length: 1000000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; "
						+ "filename=\"slow.dcm\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.write(new byte[900 * 1024]);
				out.flush();
				HttpResponse<String> refused = await().atMost(Duration.ofSeconds(30))
					.until(() -> send(base + "/api/uploads", "POST", "multipart/form-data; boundary=b",
							HttpRequest.BodyPublishers.ofByteArray(second.toByteArray())), (r) -> r.statusCode() == 429);
				assertProblem(refused, 429, "https://dicomflow.io/problems/too-much-in-flight");
				HttpResponse<String> otherUser = this.http.send(HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
					.header("Authorization", Pipeline.authorization("bob"))
					.header("Content-Type", "multipart/form-data; boundary=b")
					.POST(HttpRequest.BodyPublishers.ofByteArray(second.toByteArray()))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(otherUser.statusCode()).as("another user's requests are not counted").isNotEqualTo(429);
			}
			// the slow request broke off: its share is released
			await().atMost(Duration.ofSeconds(30))
				.until(() -> send(base + "/api/uploads", "POST", "multipart/form-data; boundary=b",
						HttpRequest.BodyPublishers.ofByteArray(second.toByteArray())).statusCode(), (s) -> s != 429);
		}
		finally {
			service.close();
		}
	}

	private HttpResponse<String> send(String url, String method, String contentType,
			HttpRequest.BodyPublisher body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			// as large-upload clients do: the refusal comes before the body is sent
			.expectContinue(true)
			.header("Authorization", Pipeline.authorization("alice"))
			.header("Content-Type", contentType)
			.method(method, body)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		JsonNode problem = Pipeline.JSON.readTree(response.body());
		assertThat(problem.path("type").asString()).isEqualTo(type);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
	}

}
