package io.dicomflow.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The STOMP endpoint as an attacker sees it: bob, with a valid token of his own, tries every destination
 * that is not the documented {@code /user/queue/analyses} — broker pattern syntax that would match every
 * session's queue, other users' destinations, the broker's own prefixes, escaped and percent-encoded
 * variants — and tries to send. Each attempt must be answered with an ERROR frame and the connection closed,
 * and while alice's upload is analysed none of her events may reach any of bob's sessions, while alice gets
 * them all. Also: an uploader follows states over STOMP and the HTTP feed but never sees analysis figures.
 */
class StompSecurityIT {

	// files no other test uploads as the same user (a repeat would be a DUPLICATE without events)
	private static final String ALICE_VICTIM = "pydicom-charset-chrFren.dcm";

	private static final String ALICE_FIGURES = "pydicom-charset-chrHbrw.dcm";

	private static final String MODALITY_FILE = "pydicom-charset-chrGreek.dcm";

	/**
	 * SUBSCRIBE destinations exactly as written into the frame: STOMP 1.2 header escapes ({@code \c} is a
	 * colon, {@code \n} a newline) are decoded by the server, so they are a way to smuggle characters in.
	 */
	static final List<String> HOSTILE_SUBSCRIPTIONS = List.of(
			// the reported attack: a {var:regex} segment whose regex matches every user's session queue
			"/user/queue/{x\\c.*)|(.*}", "/user/queue/{x:.*)|(.*}", "/user/queue/{x\\c.*}",
			"/user/queue/analyses{x\\c.*}", "/user/queue/analyses-user{s\\c.*}",
			// Ant wildcards
			"/user/queue/*", "/user/queue/**", "/user/**", "/user/queue/analyses*", "/user/queue/analyse?",
			// another user's destinations
			"/user/bob/queue/analyses", "/user/alice/queue/analyses", "/user/alice/queue/**",
			// the broker's own destinations, bypassing the user prefix
			"/queue/analyses", "/queue/**", "/queue/analyses-user*", "/queue/{x\\c.*}", "/topic/analyses",
			"/topic/**", "/app/analyses",
			// traversal, encodings, look-alikes
			"/user/queue/analyses/../../queue/**", "/user/queue/analyses%2A", "/user/queue/%7Bx%3A.*%7D",
			"/user/queue/analyses\\n", "/user/queue/analyses ", "/USER/queue/analyses", "/user//queue/analyses",
			"/user/queue/analyses/", "");

	/** SEND is never part of the product: refused whatever the destination, the documented one included. */
	static final List<String> HOSTILE_SENDS = List.of("/user/alice/queue/analyses", "/user/queue/analyses",
			"/queue/analyses", "/queue/{x\\c.*}", "/topic/analyses", "/app/analyses");

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void everyOtherDestinationIsRefusedAndTheAttackerGetsNoneOfTheVictimsEvents() throws Exception {
		String url = this.pipeline.services.notificationWebSocketUrl();
		Pipeline.Listener alice = this.pipeline.listen("alice");
		Pipeline.Listener bob = this.pipeline.listen("bob");

		Map<String, RawStomp> attempts = new LinkedHashMap<>();
		int i = 0;
		for (String destination : HOSTILE_SUBSCRIPTIONS) {
			RawStomp attacker = RawStomp.connect(url, TestTokens.forUser("bob"));
			attacker.send("SUBSCRIBE\nid:sub-" + i++ + "\ndestination:" + destination + "\nack:auto\n\n");
			attempts.put("SUBSCRIBE " + destination, attacker);
		}
		RawStomp noDestination = RawStomp.connect(url, TestTokens.forUser("bob"));
		noDestination.send("SUBSCRIBE\nid:sub-x\nack:auto\n\n");
		attempts.put("SUBSCRIBE without destination", noDestination);
		for (String destination : HOSTILE_SENDS) {
			RawStomp attacker = RawStomp.connect(url, TestTokens.forUser("bob"));
			attacker.send("SEND\ndestination:" + destination
					+ "\ncontent-type:application/json\n\n{\"type\":\"AnalysisCompleted\",\"forged\":true}");
			attempts.put("SEND " + destination, attacker);
		}
		// STOMP is the 1.1+ name of CONNECT: it must not open an unauthenticated session
		RawStomp stompFrame = RawStomp.open(url, "STOMP\naccept-version:1.2\nhost:127.0.0.1\n\n");
		attempts.put("STOMP without token", stompFrame);

		// alice's upload while every attempt is in place: an UploadCompleted and an AnalysisCompleted for her
		Pipeline.Response receipt = this.pipeline.upload("alice", Map.of(ALICE_VICTIM, Pipeline.corpus(ALICE_VICTIM)));
		assertThat(receipt.status()).isEqualTo(202);
		String uploadId = receipt.body().path("uploadId").asString();
		String fileId = receipt.body().path("files").path(0).path("fileId").asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> types(alice, uploadId).containsAll(List.of("UploadCompleted", "AnalysisCompleted")));

		List<String> problems = new ArrayList<>();
		for (Map.Entry<String, RawStomp> attempt : attempts.entrySet()) {
			// refused: an ERROR frame, then the server closes the connection; the close can overtake the
			// ERROR frame on the wire, so a close with nothing received before it is a refusal too
			String answer = attempt.getValue().next(Duration.ofSeconds(10));
			boolean refused = (answer != null) ? answer.startsWith("ERROR") : attempt.getValue().closed() != null;
			if (!refused) {
				problems.add(attempt.getKey() + ": not refused, answered " + answer + " (closed: "
						+ attempt.getValue().closed() + ")");
			}
			for (String frame : attempt.getValue().received()) {
				if (frame.startsWith("MESSAGE") || frame.contains(uploadId) || frame.contains(fileId)) {
					problems.add(attempt.getKey() + ": received " + frame.lines().findFirst().orElse("")
							+ (frame.contains(fileId) ? " with alice's event" : ""));
				}
			}
		}
		assertThat(problems).as("hostile attempts").isEmpty();
		assertThat(types(bob, uploadId)).as("bob's own session").isEmpty();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(attempts.entrySet())
				.allSatisfy((a) -> assertThat(a.getValue().closed()).as(a.getKey() + " closed by the server")
					.isNotNull()));
		assertThat(alice.received()).as("nothing forged reached alice")
			.noneMatch((event) -> event.path("forged").asBoolean(false))
			.allSatisfy((event) -> assertThat(event.path("seq").asLong()).isPositive());
		attempts.values().forEach(RawStomp::close);
		alice.session.disconnect();
		bob.session.disconnect();
	}

	@Test
	void theDocumentedSubscriptionStillWorksOverRawStomp() throws Exception {
		// the guard compares exact strings: make sure the plain, documented frame is not caught by it
		try (RawStomp client = RawStomp.connect(this.pipeline.services.notificationWebSocketUrl(),
				TestTokens.forUser("bob"))) {
			client.send("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/analyses\nlastSeq:0\n\n");
			// bob's replay (if his feed has entries) or nothing: never an ERROR, and the connection stays open
			String answer = client.next(Duration.ofSeconds(3));
			assertThat(answer == null || answer.startsWith("MESSAGE")).as(String.valueOf(answer)).isTrue();
			assertThat(client.closed()).isNull();
		}
	}

	@Test
	void anUploaderFollowsStatesButNeverSeesAnalysisFigures() throws Exception {
		Pipeline.Listener modality = this.pipeline.listen("modality");
		Pipeline.Listener alice = this.pipeline.listen("alice");
		String modalityFile = uploadOne("modality", MODALITY_FILE);
		String aliceFile = uploadOne("alice", ALICE_FIGURES);

		JsonNode pushed = await().atMost(Duration.ofSeconds(60)).until(() -> completed(modality.received(), modalityFile),
				(e) -> e != null);
		assertStatesOnly(pushed, modalityFile);

		// the same entry replayed on a reconnect (lastSeq) and read over HTTP
		Pipeline.Listener replay = Pipeline.listen("modality", this.pipeline.services.notificationWebSocketUrl(), 0L);
		JsonNode replayed = await().atMost(Duration.ofSeconds(30)).until(() -> completed(replay.received(), modalityFile),
				(e) -> e != null);
		assertStatesOnly(replayed, modalityFile);
		JsonNode fromFeed = completed(events("modality"), modalityFile);
		assertStatesOnly(fromFeed, modalityFile);
		assertThat(events("modality")).as("the uploader still follows its upload")
			.anyMatch((e) -> "UploadCompleted".equals(e.path("type").asString())
					&& e.path("payload").path("fileIds").toString().contains(modalityFile));

		// a user with the right to read results gets the figures on both channels
		JsonNode alicePushed = await().atMost(Duration.ofSeconds(60)).until(() -> completed(alice.received(), aliceFile),
				(e) -> e != null);
		for (JsonNode entry : List.of(alicePushed, completed(events("alice"), aliceFile))) {
			assertThat(entry.path("payload").path("dataSize").asLong()).isPositive();
			assertThat(entry.path("payload").has("averageBeforeNormalization")).isTrue();
			assertThat(entry.path("payload").path("resultId").asString()).isNotBlank();
		}
		modality.session.disconnect();
		replay.session.disconnect();
		alice.session.disconnect();
	}

	private static void assertStatesOnly(JsonNode entry, String fileId) {
		assertThat(entry).as("AnalysisCompleted of " + fileId).isNotNull();
		JsonNode payload = entry.path("payload");
		assertThat(payload.path("fileId").asString()).isEqualTo(fileId);
		assertThat(payload.path("uploadId").asString()).isNotBlank();
		assertThat(payload.path("sopInstanceUid").asString()).isNotBlank();
		List<String> fields = new ArrayList<>(payload.propertyNames());
		assertThat(fields).as("an uploader never sees results")
			.doesNotContain("resultId", "deviceName", "dataSize", "averageBeforeNormalization",
					"averageAfterNormalization");
	}

	private String uploadOne(String user, String file) {
		Pipeline.Response receipt = this.pipeline.upload(user, Map.of(file, Pipeline.corpus(file)));
		assertThat(receipt.status()).isEqualTo(202);
		return receipt.body().path("files").path(0).path("fileId").asString();
	}

	private static JsonNode completed(List<JsonNode> entries, String fileId) {
		return entries.stream()
			.filter((e) -> "AnalysisCompleted".equals(e.path("type").asString())
					&& fileId.equals(e.path("payload").path("fileId").asString()))
			.findFirst()
			.orElse(null);
	}

	private static List<String> types(Pipeline.Listener listener, String uploadId) {
		return listener.received()
			.stream()
			.filter((e) -> uploadId.equals(e.path("payload").path("uploadId").asString()))
			.map((e) -> e.path("type").asString())
			.toList();
	}

	private List<JsonNode> events(String user) {
		String notifier = this.pipeline.services.notificationWebSocketUrl().replaceFirst("^ws", "http").replaceFirst("/ws$", "");
		JsonNode body = Pipeline.client(notifier)
			.get()
			.uri("/api/events?after=0&limit=1000")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> {
				assertThat(response.getStatusCode().value()).isEqualTo(200);
				return Pipeline.JSON.readTree(response.getBody().readAllBytes());
			});
		return body.path("events").valueStream().toList();
	}

}
