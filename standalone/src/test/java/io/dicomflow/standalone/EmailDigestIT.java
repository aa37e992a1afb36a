package io.dicomflow.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.notification.NotificationServiceApplication;
import io.dicomflow.notification.email.EmailDigests;
import io.dicomflow.notification.email.UploadEmailListener;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Email that scales with how modalities send: single-request uploads are gathered into one digest per user per
 * window, an explicit session keeps its own summary, and a digest is sent exactly once even when the notifier
 * that gathered it stops mid-window and several senders race for it. To put every upload of a test in one window
 * whatever the machine's speed, the notifier's email consumer is paused while the uploads are analysed, so their
 * events wait in the (durable, competing-consumer) email queue and are then handled within seconds.
 */
class EmailDigestIT {

	private final Pipeline pipeline = Pipeline.get();

	private final ConfigurableApplicationContext notifier = this.pipeline.services.notification();

	private final JdbcTemplate db = this.notifier.getBean(JdbcTemplate.class);

	@AfterEach
	void resume() {
		emailListener(this.notifier).start();
		this.notifier.getBean(EmailDigests.class).start();
	}

	@Test
	void manySingleFileUploadsOfTwoUsersGiveEachUserOneDigestListingAllOfTheirs() {
		emailListener(this.notifier).stop();
		List<String> alice = uploadSingles("alice", 12);
		List<String> bob = uploadSingles("bob", 4);
		awaitAnalysed("alice", alice);
		awaitAnalysed("bob", bob);
		emailListener(this.notifier).start();

		Pipeline.Mail aliceDigest = awaitOneDigestListing("alice", alice);
		Pipeline.Mail bobDigest = awaitOneDigestListing("bob", bob);
		assertThat(aliceDigest.subject()).isEqualTo("dicomflow: 12 uploads analysed (12 done, 0 failed)");
		assertThat(bobDigest.subject()).isEqualTo("dicomflow: 4 uploads analysed (4 done, 0 failed)");
		for (String upload : alice) {
			assertThat(aliceDigest.text()).contains("Upload " + upload + ": 1 done, 0 failed");
			assertThat(bobDigest.text()).doesNotContain(upload);
		}
		for (String upload : bob) {
			assertThat(this.pipeline.mailsMentioning(Pipeline.email("alice"), upload)).isEmpty();
		}
		// no per-upload summaries were sent for them
		for (String upload : alice) {
			assertThat(this.pipeline.mailsBySubject(Pipeline.email("alice")).keySet())
				.noneMatch((subject) -> subject.contains(upload));
		}
		// the digest announced each of its uploads' files as emailed (FilesNotified, through the outbox), which is
		// what moves them to NOTIFIED in the upload service
		// (committed with the digest's send log, an instant after the SMTP server has the mail)
		for (String upload : alice) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.db.queryForObject("select count(*) from outbox_event "
						+ "where headers->>'type' = 'FilesNotified' and convert_from(payload, 'UTF8') like ? "
						+ "and convert_from(payload, 'UTF8') like '%\"email\"%'", Integer.class, "%" + upload + "%"))
					.as("FilesNotified of %s", upload)
					.isEqualTo(1));
		}
	}

	@Test
	void anExplicitSessionGetsItsOwnSummaryNotADigest() {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		Pipeline.Response opened = this.pipeline.post("alice", "/api/uploads/sessions", Map.of("files", 2));
		assertThat(opened.status()).isEqualTo(201);
		String id = opened.body().path("id").asString();
		for (int i = 1; i <= 2; i++) {
			assertThat(this.pipeline.uploadTo("alice", "/api/uploads/sessions/" + id + "/files",
					Map.of("s" + i + ".dcm", image(study, series))).status()).isEqualTo(202);
		}
		assertThat(this.pipeline.post("alice", "/api/uploads/sessions/" + id + "/commit", null).status())
			.isEqualTo(200);

		String subject = "dicomflow: upload " + id + " analysed (2 done, 0 failed)";
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.mailsBySubject(Pipeline.email("alice")).getOrDefault(subject, 0) == 1);
		// well after the digest window: still that one summary, and the session is in no digest
		sleep(Pipeline.DIGEST_WINDOW.plusSeconds(2));
		assertThat(this.pipeline.mailsMentioning(Pipeline.email("alice"), id)).extracting(Pipeline.Mail::subject)
			.containsExactly(subject);
		assertThat(this.db.queryForObject("select digest_id from notification_upload where upload_id = ?::uuid",
				UUID.class, id)).isNull();
	}

	@Test
	void aDigestGatheredByANotifierThatStoppedIsSentOnceByAnotherDespiteRacingSenders() throws Exception {
		EmailDigests digests = this.notifier.getBean(EmailDigests.class);
		emailListener(this.notifier).stop();
		digests.stop();
		List<String> uploads = uploadSingles("bob", 5);
		awaitAnalysed("bob", uploads);

		// a second notifier instance takes the queued events and gathers the digest; it never polls for due
		// digests in its lifetime, then stops with the digest still open: only PostgreSQL knows about it
		Map<String, Object> properties = new LinkedHashMap<>(Pipeline.serviceProperties(this.pipeline.infrastructure));
		properties.put("server.port", 0);
		properties.put("dicomflow.notification.digest-poll-interval", "1h");
		UUID digest;
		try (ConfigurableApplicationContext second = NotificationServiceApplication.start(properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new))) {
			digest = await().atMost(Duration.ofSeconds(60)).until(() -> digestOf(uploads), (id) -> id != null);
		}
		assertThat(this.db.queryForObject("select closed_at is null from notification_digest where id = ?",
				Boolean.class, digest)).isTrue();
		assertThat(mailsListing("bob", uploads)).isEmpty();

		// once due, several senders race for it (the restarted poller and four callers at once): one email
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.db.queryForObject("select due_at <= now() from notification_digest where id = ?",
					Boolean.class, digest));
		ExecutorService racers = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Boolean>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(digests::sendOneDue);
			}
			digests.start();
			for (Future<Boolean> call : racers.invokeAll(calls)) {
				call.get();
			}
		}
		finally {
			racers.shutdown();
		}
		Pipeline.Mail mail = awaitOneDigestListing("bob", uploads);
		assertThat(mail.subject()).isEqualTo("dicomflow: 5 uploads analysed (5 done, 0 failed)");
		sleep(Duration.ofSeconds(2));
		assertThat(mailsListing("bob", uploads)).hasSize(1);
		assertThat(this.db.queryForObject("select count(*) from notification_email_log where send_key = ?",
				Integer.class, "digest:" + digest)).isEqualTo(1);
	}

	@Test
	void anUploadSummarisedBeforeDigestsExistedIsNotMailedAgainWhenItsEventsAreRedelivered() {
		// as left by the previous version: the upload's summary was sent and logged under its old key
		UUID upload = UUID.randomUUID();
		UUID file = UUID.randomUUID();
		this.db.update("insert into notification_email_log (send_key, recipient, outcome) values (?, ?, 'SENT')",
				"upload-summary:" + upload, Pipeline.email("bob"));
		send(new UploadCompleted(upload, List.of(file)), upload, Topology.UPLOADS_EXCHANGE, Topology.UPLOAD_COMPLETED);
		send(new AnalysisCompleted(upload, file, UUID.randomUUID().toString(), "1.2.826.0.1.3680043.10.2." + 7,
				"redelivered", 16, 1.0, 0.5), upload, Topology.ANALYSIS_EXCHANGE, Topology.ANALYSIS_COMPLETED);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.db.queryForList("select f.outcome from notification_upload_file f "
					+ "join notification_upload u using (upload_id) where u.upload_id = ? and u.files_known",
					String.class, upload), List.of("DONE")::equals);
		assertThat(this.db.queryForObject("select digest_id from notification_upload where upload_id = ?", UUID.class,
				upload)).isNull();
		sleep(Pipeline.DIGEST_WINDOW.plusSeconds(2));
		assertThat(this.pipeline.mailsMentioning(Pipeline.email("bob"), upload.toString())).isEmpty();
	}

	// --- helpers

	private void send(EventPayload payload, UUID upload, String exchange, String routingKey) {
		EventEnvelope<?> event = EventEnvelope.of(payload, upload.toString(), "bob", null);
		MessageProperties props = new MessageProperties();
		props.setMessageId(event.eventId().toString());
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		this.notifier.getBean(RabbitTemplate.class)
			.send(exchange, routingKey, new Message(new EventCodec().encode(event), props));
	}

	/** {@code count} single-file uploads of fresh images by {@code user}; their upload ids. */
	private List<String> uploadSingles(String user, int count) {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		List<String> uploads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Pipeline.Response receipt = this.pipeline.upload(user, Map.of("single-" + i + ".dcm", image(study, series)));
			assertThat(receipt.status()).isEqualTo(202);
			assertThat(receipt.body().path("files").path(0).path("outcome").asString()).isEqualTo("ACCEPTED");
			uploads.add(receipt.body().path("uploadId").asString());
		}
		return uploads;
	}

	private void awaitAnalysed(String user, List<String> uploads) {
		for (String upload : uploads) {
			await().atMost(Duration.ofSeconds(120))
				.until(() -> this.pipeline.get(user, "/api/uploads/" + upload).body().path("files").path(0)
					.path("transitions"), (t) -> t.has("DONE"));
		}
	}

	/** Waits for a mail of {@code user} that lists every one of {@code uploads}; asserts it is the only one. */
	private Pipeline.Mail awaitOneDigestListing(String user, List<String> uploads) {
		await().atMost(Duration.ofSeconds(60)).until(() -> !mailsListing(user, uploads).isEmpty());
		List<Pipeline.Mail> mails = mailsListing(user, uploads);
		assertThat(mails).hasSize(1);
		// and no other mail mentions any of them
		for (String upload : uploads) {
			assertThat(this.pipeline.mailsMentioning(Pipeline.email(user), upload)).hasSize(1);
		}
		return mails.get(0);
	}

	private List<Pipeline.Mail> mailsListing(String user, List<String> uploads) {
		return this.pipeline.mailsMentioning(Pipeline.email(user), uploads.get(0))
			.stream()
			.filter((mail) -> uploads.stream().allMatch((upload) -> mail.text().contains(upload)))
			.toList();
	}

	/** The one digest all {@code uploads} joined, or null while not all have joined. */
	private UUID digestOf(List<String> uploads) {
		List<UUID> digests = this.db.queryForList("select distinct digest_id from notification_upload "
				+ "where upload_id::text = any(?::text[])", UUID.class, "{" + String.join(",", uploads) + "}");
		List<Integer> joined = this.db.queryForList("select count(*)::int from notification_upload "
				+ "where digest_id is not null and upload_id::text = any(?::text[])", Integer.class,
				"{" + String.join(",", uploads) + "}");
		if (joined.get(0) != uploads.size()) {
			return null;
		}
		assertThat(digests).hasSize(1);
		return digests.get(0);
	}

	private static org.springframework.amqp.rabbit.listener.MessageListenerContainer emailListener(
			ConfigurableApplicationContext context) {
		return context.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer(UploadEmailListener.LISTENER_ID);
	}

	private static byte[] image(String study, String series) {
		return Part10Writer
			.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, series,
					Part10Writer.pixels((int) (Math.random() * 1_000_000)))
			.toBytes();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
