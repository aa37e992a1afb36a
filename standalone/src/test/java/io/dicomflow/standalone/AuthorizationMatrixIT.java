package io.dicomflow.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every protected endpoint of the three services × every kind of caller: the uploader-only account, the
 * owner (alice), another user (bob), an admin, and no token. Another user's data answers 404 (its existence
 * is not confirmed); a role that may never use an endpoint gets 403; no token gets 401.
 */
class AuthorizationMatrixIT {

	private static final String NO_TOKEN = "(no token)";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> CALLERS = List.of("modality", "alice", "bob", "admin", NO_TOKEN);

	private static Pipeline pipeline;

	private static String aliceUpload;

	private static String aliceElement;

	private static String aliceStudy;

	@BeforeAll
	static void aliceOwnsAnUploadAnElementAndAStudy() {
		pipeline = Pipeline.get();
		String file = "pydicomdata-emri_small_jpeg_2k_lossless.dcm";
		Pipeline.Response upload = pipeline.upload("alice", Map.of(file, Pipeline.corpus(file)));
		assertThat(upload.status()).isEqualTo(202);
		aliceUpload = upload.body().path("uploadId").asString();
		aliceStudy = Pipeline.reference(file).path("attributes").path("StudyInstanceUID").asString();
		aliceElement = "matrix-" + UUID.randomUUID();
		assertThat(pipeline.post("alice", "/api/elements/", "{\"id\": \"" + aliceElement
				+ "\", \"device_name\": \"CT SCAN\", \"data\": [\"1 2 3\"]}").status()).isEqualTo(201);
	}

	/**
	 * @param service base URL of the service
	 * @param method HTTP method
	 * @param path request path
	 * @param expected status for modality (uploader), alice (owner), bob (other user), admin, no token
	 */
	private record Row(String service, HttpMethod method, String path, int... expected) {
	}

	@Test
	void everyEndpointAnswersEachCallerAsItsRoleAllows() {
		String upload = pipeline.services.uploadUrl();
		String worker = pipeline.services.workerUrl();
		String notifier = pipeline.services.notificationWebSocketUrl().replace("ws://", "http://").replace("/ws", "");
		List<Row> rows = List.of(
				new Row(upload, HttpMethod.GET, "/api/uploads", 200, 200, 200, 200, 401),
				new Row(upload, HttpMethod.GET, "/api/uploads/" + aliceUpload, 404, 200, 404, 200, 401),
				new Row(upload, HttpMethod.GET, "/api/uploads/" + UUID.randomUUID(), 404, 404, 404, 404, 401),
				new Row(upload, HttpMethod.GET, "/api/elements/", 403, 200, 200, 200, 401),
				new Row(upload, HttpMethod.GET, "/api/elements/" + aliceElement + "/", 403, 200, 404, 200, 401),
				new Row(upload, HttpMethod.GET, "/dicomweb/studies", 403, 200, 200, 200, 401),
				new Row(upload, HttpMethod.GET, "/dicomweb/studies/" + aliceStudy + "/metadata", 403, 200, 404, 200,
						401),
				// admin routes are refused at the URL level (403) before any handler runs, whatever the handler checks
				new Row(upload, HttpMethod.GET, "/api/admin/quarantine", 403, 403, 403, 200, 401),
				new Row(upload, HttpMethod.GET, "/api/admin/quotas", 403, 403, 403, 200, 401),
				new Row(upload, HttpMethod.GET, "/api/admin/anything-new", 403, 403, 403, 404, 401),
				new Row(worker, HttpMethod.GET, "/api/admin/analysis/parked", 403, 403, 403, 200, 401),
				new Row(notifier, HttpMethod.GET, "/api/events?after=0", 200, 200, 200, 200, 401));

		List<String> mismatches = new ArrayList<>();
		for (Row row : rows) {
			for (int i = 0; i < CALLERS.size(); i++) {
				int status = call(row.service(), row.method(), row.path(), CALLERS.get(i));
				if (status != row.expected()[i]) {
					mismatches.add(row.method() + " " + row.path() + " as " + CALLERS.get(i) + ": " + status
							+ " (expected " + row.expected()[i] + ")");
				}
			}
		}
		assertThat(mismatches).isEmpty();

		// destructive calls last: others cannot delete alice's element, she can
		assertThat(call(upload, HttpMethod.DELETE, "/api/elements/" + aliceElement + "/", "modality")).isEqualTo(403);
		assertThat(call(upload, HttpMethod.DELETE, "/api/elements/" + aliceElement + "/", "bob")).isEqualTo(404);
		assertThat(call(upload, HttpMethod.DELETE, "/api/elements/" + aliceElement + "/", NO_TOKEN)).isEqualTo(401);
		assertThat(call(upload, HttpMethod.DELETE, "/api/elements/" + aliceElement + "/", "alice")).isEqualTo(204);
	}

	/**
	 * The security filters' own refusals (before any controller) are problem+json like every other error: no
	 * token and a bad token 401 with the RFC 6750 challenge, a role a URL rule requires 403, on every service.
	 */
	@Test
	void refusalsOfTheSecurityFiltersAreProblemJson() {
		String upload = pipeline.services.uploadUrl();
		String worker = pipeline.services.workerUrl();
		String notifier = pipeline.services.notificationWebSocketUrl().replace("ws://", "http://").replace("/ws", "");
		for (String service : List.of(upload, worker, notifier)) {
			String path = service.equals(worker) ? "/api/admin/analysis/parked"
					: service.equals(upload) ? "/api/uploads" : "/api/events?after=0";
			Refusal none = refusal(service, path, null);
			assertThat(none.status()).as(service + " no token").isEqualTo(401);
			assertThat(none.contentType()).as(service).isEqualTo("application/problem+json");
			assertThat(none.challenge()).as(service).startsWith("Bearer");
			assertThat(none.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/unauthenticated");
			assertThat(none.body().path("status").asInt()).isEqualTo(401);

			Refusal bad = refusal(service, path, "Bearer not.a.token");
			assertThat(bad.status()).as(service + " bad token").isEqualTo(401);
			assertThat(bad.contentType()).isEqualTo("application/problem+json");
			assertThat(bad.challenge()).contains("error=\"invalid_token\"");
			assertThat(bad.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/unauthenticated");
		}
		// URL-level role rules: the uploader on an admin route of upload-service, a user on the worker's
		for (Refusal denied : List.of(refusal(upload, "/api/admin/quarantine", Pipeline.authorization("modality")),
				refusal(worker, "/api/admin/analysis/parked", Pipeline.authorization("alice")))) {
			assertThat(denied.status()).isEqualTo(403);
			assertThat(denied.contentType()).isEqualTo("application/problem+json");
			assertThat(denied.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/forbidden");
			assertThat(denied.body().path("status").asInt()).isEqualTo(403);
		}
	}

	private record Refusal(int status, String contentType, String challenge, JsonNode body) {
	}

	private static Refusal refusal(String service, String path, String authorization) {
		var request = Pipeline.client(service).get().uri(path);
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Refusal(response.getStatusCode().value(), response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE),
					response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE),
					JSON.readTree(bytes.length == 0 ? "{}".getBytes() : bytes));
		});
	}

	private static int call(String service, HttpMethod method, String path, String caller) {
		RestClient client = Pipeline.client(service);
		var request = client.method(method).uri(path);
		if (!NO_TOKEN.equals(caller)) {
			request.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(caller));
		}
		return request.exchange((req, response) -> response.getStatusCode().value());
	}

}
