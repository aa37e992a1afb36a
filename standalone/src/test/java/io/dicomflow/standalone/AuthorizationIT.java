package io.dicomflow.standalone;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what: only valid tokens of the configured issuer and audience are accepted, on HTTP and at STOMP
 * CONNECT; another user's upload answers 404; an uploader follows its uploads but never sees results; an
 * admin reads everyone's.
 */
class AuthorizationIT {

	private final Pipeline pipeline = Pipeline.get();

	static Map<String, String> badTokens() {
		return Map.of("signed by another key", TestTokens.signedByAnotherKey("alice"), "expired",
				TestTokens.expired("alice"), "alg none", TestTokens.unsigned("alice"), "wrong audience",
				TestTokens.forAudience("alice", "someone-else"), "wrong issuer",
				TestTokens.fromIssuer("alice", "https://evil.example"), "not a JWT", "abc.def.ghi");
	}

	static Iterable<String> badTokenNames() {
		return badTokens().keySet();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badTokenNames")
	void aBadTokenIs401(String kind) {
		int status = this.pipeline.http.get()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + badTokens().get(kind))
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).as(kind).isEqualTo(401);
	}

	@Test
	void noTokenIs401() {
		int status = this.pipeline.http.get().uri("/api/uploads").exchange((request, r) -> r.getStatusCode().value());
		assertThat(status).isEqualTo(401);
	}

	@Test
	void aWebSocketConnectWithABadTokenIsRefused() {
		WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
		StompHeaders connect = new StompHeaders();
		connect.add("Authorization", "Bearer " + TestTokens.expired("alice"));
		assertThatThrownBy(() -> client
			.connectAsync(this.pipeline.services.notificationWebSocketUrl(), new WebSocketHttpHeaders(), connect,
					new StompSessionHandlerAdapter() {
					})
			.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
	}

	@Test
	void ownersAdminsAndUploadersSeeWhatTheirRoleAllows() {
		Pipeline.Response receipt = this.pipeline.upload("modality",
				Map.of("ct.dcm", Pipeline.corpus("pydicom-dicomdirtests-98892001_CT5N_2062.dcm")));
		assertThat(receipt.status()).isEqualTo(202);
		String path = "/api/uploads/" + receipt.body().path("uploadId").asString();

		JsonNode asUploader = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.get("modality", path).body(),
					(body) -> body.path("files").path(0).path("transitions").has("DONE"));
		assertThat(asUploader.path("files").path(0).has("result")).as("an uploader never sees results").isFalse();

		Pipeline.Response asAdmin = this.pipeline.get("admin", path);
		assertThat(asAdmin.status()).isEqualTo(200);
		assertThat(asAdmin.body().path("files").path(0).path("result").path("dataSize").asLong()).isEqualTo(256);

		assertThat(this.pipeline.get("alice", path).status()).as("another user").isEqualTo(404);
		assertThat(this.pipeline.get("bob", path).status()).as("another user").isEqualTo(404);
	}

}
