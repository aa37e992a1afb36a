package io.dicomflow.standalone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dicomflow.notification.NotificationServiceApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier on the whole pipeline: users on two notifier instances, catch-up after a reconnect (STOMP
 * {@code lastSeq} and {@code GET /api/events}), an upload listed in one digest email however often its events
 * are delivered, and the email opt-out.
 */
class NotificationsIT {

	// An owner sending the same bytes twice gets DUPLICATE and no new events, so every upload of a user in this
	// run (this class and the other end-to-end tests share one pipeline) uses a file no other test uploads as
	// that user; each has its own SOP Instance UID, so no upload is a CONFLICT either.
	private static final String ALICE_PUSH = "pydicom-charset-chrArab.dcm";

	private static final String ALICE_OPTED_OUT = "fodicom-1403-OB.dcm";

	private static final String BOB_PUSH = "pydicom-charset-chrGerm.dcm";

	private static final String BOB_BEFORE = "fodicom-charset-chrGB2312.dcm";

	private static final String BOB_MISSED_1 = "pydicom-charset-chrArab.dcm";

	private static final String BOB_MISSED_2 = "heudiconv-01-fmap_acq-3mm_fmap.dcm";

	private static final String BOB_SUMMARY = "pydicom-ExplVR_BigEnd.dcm";

	private static final String BOB_SUMMARY_2 = "fodicom-1403-OB.dcm";

	private static final String BOB_LATER = "pydicom-SC_rgb_small_odd_big_endian.dcm";

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void usersConnectedToTwoNotifierInstancesEachGetTheirOwnEvents() throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>(Pipeline.serviceProperties(this.pipeline.infrastructure));
		properties.put("server.port", 0);
		try (ConfigurableApplicationContext second = NotificationServiceApplication.start(properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new))) {
			String secondUrl = "ws://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort()
					+ "/ws";
			Pipeline.Listener aliceOnFirst = this.pipeline.listen("alice");
			Pipeline.Listener bobOnSecond = Pipeline.listen("bob", secondUrl, null);
			Pipeline.Listener aliceOnSecond = Pipeline.listen("alice", secondUrl, null);

			String aliceFile = uploadOne("alice", ALICE_PUSH);
			String bobFile = uploadOne("bob", BOB_PUSH);

			for (Pipeline.Listener alice : List.of(aliceOnFirst, aliceOnSecond)) {
				await().atMost(Duration.ofSeconds(60)).until(() -> fileIds(alice).contains(aliceFile));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> fileIds(bobOnSecond).contains(bobFile));
			assertThat(fileIds(aliceOnFirst)).doesNotContain(bobFile);
			assertThat(fileIds(aliceOnSecond)).doesNotContain(bobFile);
			assertThat(fileIds(bobOnSecond)).doesNotContain(aliceFile);
			// both instances numbered alice's events the same way: one feed, whoever pushes
			assertThat(seqOf(aliceOnFirst, aliceFile)).isEqualTo(seqOf(aliceOnSecond, aliceFile));
		}
	}

	@Test
	void aClientReconnectingWithLastSeqGetsExactlyWhatItMissedInOrder() throws Exception {
		Pipeline.Listener first = this.pipeline.listen("bob");
		String before = uploadOne("bob", BOB_BEFORE);
		await().atMost(Duration.ofSeconds(60)).until(() -> fileIds(first).contains(before));
		long lastSeen = seqOf(first, before);
		first.session.disconnect();

		// while bob is away: two more uploads, each with an UploadCompleted and an AnalysisCompleted
		String missed1 = uploadOne("bob", BOB_MISSED_1);
		String missed2 = uploadOne("bob", BOB_MISSED_2);
		JsonNode missed = await().atMost(Duration.ofSeconds(60))
			.until(() -> events("bob", lastSeen), (body) -> completedFiles(body.path("events")).containsAll(List.of(missed1, missed2)));
		List<Long> expected = missed.path("events").valueStream().map((e) -> e.path("seq").asLong()).toList();
		assertThat(expected).isNotEmpty();
		for (int i = 0; i < expected.size(); i++) {
			assertThat(expected.get(i)).isEqualTo(lastSeen + 1 + i);
		}
		assertThat(missed.path("lastSeq").asLong()).isGreaterThanOrEqualTo(expected.get(expected.size() - 1));

		Pipeline.Listener again = Pipeline.listen("bob", this.pipeline.services.notificationWebSocketUrl(), lastSeen);
		await().atMost(Duration.ofSeconds(30)).until(() -> again.received().size() >= expected.size());
		List<Long> replayed = again.received().stream().map((e) -> e.path("seq").asLong()).toList();
		assertThat(replayed.subList(0, expected.size())).containsExactlyElementsOf(expected);
		assertThat(replayed).doesNotHaveDuplicates().isSorted();
		assertThat(replayed).allSatisfy((seq) -> assertThat(seq).isGreaterThan(lastSeen));

		// the HTTP feed of another user does not show bob's events
		assertThat(completedFiles(events("alice", 0).path("events"))).doesNotContain(missed1, missed2);
		again.session.disconnect();
	}

	@Test
	void anUploadIsListedInOneDigestEvenWhenItsEventsAreDeliveredAgain() throws Exception {
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(BOB_SUMMARY, Pipeline.corpus(BOB_SUMMARY));
		files.put(BOB_SUMMARY_2, Pipeline.corpus(BOB_SUMMARY_2));
		Pipeline.Response receipt = this.pipeline.upload("bob", files);
		assertThat(receipt.status()).isEqualTo(202);
		String uploadId = receipt.body().path("uploadId").asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.mailsMentioning(Pipeline.email("bob"), uploadId).size() == 1);
		JdbcTemplate notifierDb = this.pipeline.services.notification().getBean(JdbcTemplate.class);
		String digest = notifierDb.queryForObject(
				"select digest_id::text from notification_upload where upload_id = ?::uuid", String.class, uploadId);
		assertThat(digest).isNotNull();

		// the broker delivers every event of the upload again (as after a consumer crash before its ack)
		JdbcTemplate db = this.pipeline.services.worker().getBean(JdbcTemplate.class);
		RabbitTemplate rabbit = this.pipeline.services.worker().getBean(RabbitTemplate.class);
		List<Map<String, Object>> rows = db.queryForList("select id, exchange, routing_key, payload from outbox_event "
				+ "where convert_from(payload, 'UTF8') like ? and headers->>'type' in ('AnalysisCompleted', 'UploadCompleted')",
				"%" + uploadId + "%");
		assertThat(rows).hasSize(3);
		for (Map<String, Object> row : rows) {
			MessageProperties props = new MessageProperties();
			props.setMessageId(row.get("id").toString());
			props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
			rabbit.send((String) row.get("exchange"), (String) row.get("routing_key"),
					new Message((byte[]) row.get("payload"), props));
		}
		// a later upload's digest shows the queue has moved past the redelivered events and a window has passed
		String later = this.pipeline.upload("bob", Map.of(BOB_LATER, Pipeline.corpus(BOB_LATER)))
			.body()
			.path("uploadId")
			.asString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !this.pipeline.mailsMentioning(Pipeline.email("bob"), later).isEmpty());

		List<Pipeline.Mail> mails = this.pipeline.mailsMentioning(Pipeline.email("bob"), uploadId);
		assertThat(mails).hasSize(1);
		assertThat(mails.get(0).text()).contains("Upload " + uploadId + ": 2 done, 0 failed");
		assertThat(notifierDb.queryForObject("select digest_id::text from notification_upload where upload_id = ?::uuid",
				String.class, uploadId)).isEqualTo(digest);
		assertThat(notifierDb.queryForObject("select count(*) from notification_email_log where send_key = ?",
				Integer.class, "digest:" + digest)).isEqualTo(1);
		var message = java.util.Arrays.stream(this.pipeline.infrastructure.mail().getReceivedMessages())
			.filter((m) -> {
				try {
					return Pipeline.plainText(m).contains(uploadId);
				}
				catch (jakarta.mail.MessagingException | java.io.IOException ex) {
					return false;
				}
			})
			.findFirst()
			.orElseThrow();
		assertThat(message.getContentType()).startsWith("multipart/");
		assertThat(com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(message)).contains("text/plain")
			.contains("text/html");
	}

	@Test
	void aUserWhoOptedOutGetsNoEmailButTheUploadIsStillTracked() throws Exception {
		assertThat(preferences("alice", false).path("email").asBoolean()).isFalse();
		try {
			String uploadId = this.pipeline.upload("alice", Map.of(ALICE_OPTED_OUT, Pipeline.corpus(ALICE_OPTED_OUT)))
				.body()
				.path("uploadId")
				.asString();
			JdbcTemplate notifierDb = this.pipeline.services.notification().getBean(JdbcTemplate.class);
			// the upload joins alice's digest, which is settled without an email when due
			await().atMost(Duration.ofSeconds(60))
				.until(() -> notifierDb.queryForList("select l.outcome from notification_upload u "
						+ "join notification_email_log l on l.send_key = 'digest:' || u.digest_id "
						+ "where u.upload_id = ?::uuid", String.class, uploadId), (outcomes) -> outcomes.equals(List.of("OPTED_OUT")));
			assertThat(this.pipeline.mailsMentioning(Pipeline.email("alice"), uploadId)).isEmpty();
		}
		finally {
			assertThat(preferences("alice", true).path("email").asBoolean()).isTrue();
		}
	}

	// --- helpers

	private String uploadOne(String user, String file) {
		Pipeline.Response receipt = this.pipeline.upload(user, Map.of(file, Pipeline.corpus(file)));
		assertThat(receipt.status()).isEqualTo(202);
		return receipt.body().path("files").path(0).path("fileId").asString();
	}

	private static List<String> fileIds(Pipeline.Listener listener) {
		return listener.received()
			.stream()
			.filter((e) -> "AnalysisCompleted".equals(e.path("type").asString()))
			.map((e) -> e.path("payload").path("fileId").asString())
			.toList();
	}

	private static long seqOf(Pipeline.Listener listener, String fileId) {
		return listener.received()
			.stream()
			.filter((e) -> fileId.equals(e.path("payload").path("fileId").asString()))
			.findFirst()
			.orElseThrow()
			.path("seq")
			.asLong();
	}

	private static List<String> completedFiles(JsonNode events) {
		return events.valueStream()
			.filter((e) -> "AnalysisCompleted".equals(e.path("type").asString()))
			.map((e) -> e.path("payload").path("fileId").asString())
			.toList();
	}

	private RestClient notifier() {
		return Pipeline.client(this.pipeline.services.notificationWebSocketUrl().replaceFirst("^ws", "http").replaceFirst("/ws$", ""));
	}

	private JsonNode events(String user, long after) {
		return notifier().get()
			.uri("/api/events?after={after}&limit=1000", after)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> {
				assertThat(response.getStatusCode().value()).isEqualTo(200);
				return Pipeline.JSON.readTree(response.getBody().readAllBytes());
			});
	}

	private JsonNode preferences(String user, boolean email) {
		return notifier().put()
			.uri("/api/notifications/preferences")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"email\": " + email + "}")
			.exchange((request, response) -> {
				assertThat(response.getStatusCode().value()).isEqualTo(200);
				return Pipeline.JSON.readTree(response.getBody().readAllBytes());
			});
	}

}
