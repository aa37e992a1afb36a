package io.dicomflow.worker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.worker.analysis.PixelAnalysis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The analysis worker on real infrastructure (PostgreSQL, AMQP broker, S3 behind a switchable TCP proxy):
 * duplicates, permanent and transient failures, retries through the delay queues, parking and re-queueing,
 * slow analyses, a stopped listener and a dropped broker connection. Runs on the embedded broker by default
 * and on the local RabbitMQ with {@code -Dinfra=local}.
 */
class AnalysisWorkerIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CORPUS_FILE = "pydicom-MR_small.dcm";

	private static final Duration ANALYSIS_TIMEOUT = Duration.ofSeconds(4);

	private static Infrastructure infra;

	private static FlakyTcpProxy s3;

	private static ConfigurableApplicationContext worker;

	private static final ControllableAnalysis analysis = new ControllableAnalysis();

	private static JdbcTemplate db;

	private static RestClient http;

	@BeforeAll
	static void start() throws IOException {
		infra = Infrastructure.start(InfraOptions.forTests());
		s3 = new FlakyTcpProxy(URI.create((String) infra.springProperties().get("dicomflow.storage.endpoint")));
		Map<String, Object> properties = new LinkedHashMap<>(infra.springProperties());
		properties.put("dicomflow.storage.endpoint", s3.endpoint());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.put("dicomflow.outbox.poll-interval", "200ms");
		properties.put("dicomflow.amqp.analysis-retry-delays", "300ms,600ms,1200ms");
		properties.put("dicomflow.worker.concurrency", 2);
		properties.put("dicomflow.worker.analysis-timeout", ANALYSIS_TIMEOUT.toMillis() + "ms");
		properties.put("dicomflow.worker.shutdown-timeout", "300ms");
		properties.putAll(WorkerTokens.resourceServerProperties());
		properties.put("spring.rabbitmq.listener.simple.recovery-interval", "500ms");
		properties.put("server.port", 0);
		properties.put("management.server.port", 0);
		worker = new SpringApplicationBuilder(AnalysisWorkerApplication.class)
			.properties("spring.config.name=" + AnalysisWorkerApplication.CONFIG_NAME)
			.initializers((context) -> context.getBeanFactory().registerSingleton("testPixelAnalysis", analysis))
			.run(properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
		db = worker.getBean(JdbcTemplate.class);
		http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) worker).getWebServer().getPort())
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@AfterAll
	static void stop() throws IOException {
		if (worker != null) {
			worker.close();
		}
		if (s3 != null) {
			s3.close();
		}
		if (infra != null) {
			infra.close();
		}
	}

	@AfterEach
	void heal() {
		s3.up();
		analysis.delayMillis.set(0);
	}

	@Test
	void theSameRequestDeliveredTwiceGivesOneResultAndOneEvent() {
		double before = processed();
		EventEnvelope<ImageUploaded> request = request(store(corpus(CORPUS_FILE)));
		publish(request);
		publish(request);

		await().atMost(Duration.ofSeconds(60)).until(() -> processed() - before >= 2);
		assertThat(results(request)).isEqualTo(1);
		assertThat(events("AnalysisCompleted", request)).isEqualTo(1);
		assertThat(events("AnalysisFailed", request)).isZero();
	}

	@Test
	void aCorruptFileIsNotRetriedButParkedWithAnAnalysisFailedEvent() {
		double retriedBefore = counter("dicomflow.analysis.retried");
		EventEnvelope<ImageUploaded> request = request(store("this is not a DICOM file".getBytes(StandardCharsets.UTF_8)));
		publish(request);

		await().atMost(Duration.ofSeconds(60)).until(() -> events("AnalysisFailed", request) == 1);
		JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(() -> parkedEntry(request), (p) -> p != null);
		assertThat(parked.path("reason").asString()).isEqualTo("MALFORMED_DICOM");
		assertThat(parked.path("attempts").asInt()).isEqualTo(1);
		assertThat(parked.path("fileId").asString()).isEqualTo(request.payload().fileId().toString());
		assertThat(failedEventReason(request)).isEqualTo("MALFORMED_DICOM");
		assertThat(counter("dicomflow.analysis.retried")).isEqualTo(retriedBefore);
		assertThat(results(request)).isZero();
	}

	@Test
	void anUnreadableMessageIsParked() {
		String id = UUID.randomUUID().toString();
		MessageProperties props = new MessageProperties();
		props.setMessageId(id);
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		rabbit().send(Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED, new Message("{not json".getBytes(), props));

		JsonNode parked = await().atMost(Duration.ofSeconds(30))
			.until(() -> parkedList().valueStream()
				.filter((p) -> id.equals(p.path("messageId").asString()))
				.findFirst()
				.orElse(null), (p) -> p != null);
		assertThat(parked.path("reason").asString()).isEqualTo("UNREADABLE");
	}

	@Test
	void anObjectStoreOutageDelaysTheAnalysisThroughTheRetryQueues() {
		EventEnvelope<ImageUploaded> request = request(store(corpus(CORPUS_FILE)));
		double retriedBefore = counter("dicomflow.analysis.retried");
		s3.down();
		publish(request);
		await().atMost(Duration.ofSeconds(30)).until(() -> counter("dicomflow.analysis.retried") > retriedBefore);
		s3.up();

		await().atMost(Duration.ofSeconds(60)).until(() -> results(request) == 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> events("AnalysisCompleted", request) == 1);
		assertThat(events("AnalysisFailed", request)).isZero();
		assertThat(parkedEntry(request)).isNull();
	}

	@Test
	void exhaustedRetriesEndInAnalysisFailedAndParkingAndAnOperatorCanRequeue() {
		EventEnvelope<ImageUploaded> request = request(store(corpus(CORPUS_FILE)));
		s3.down();
		publish(request);
		await().atMost(Duration.ofSeconds(60)).until(() -> events("AnalysisFailed", request) == 1);
		assertThat(failedEventReason(request)).isEqualTo("RETRIES_EXHAUSTED");
		JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(() -> parkedEntry(request), (p) -> p != null);
		assertThat(parked.path("reason").asString()).isEqualTo("RETRIES_EXHAUSTED");
		assertThat(parked.path("attempts").asInt()).isEqualTo(4);
		s3.up();

		assertThat(requeue(WorkerTokens.bearer("alice", "user"), request).status()).isEqualTo(403);
		Reply reply = requeue(WorkerTokens.bearer("operator", "admin"), request);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body().path("count").asInt()).isEqualTo(1);

		await().atMost(Duration.ofSeconds(60)).until(() -> results(request) == 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> events("AnalysisCompleted", request) == 1);
		assertThat(parkedEntry(request)).isNull();
		assertThat(events("AnalysisFailed", request)).isEqualTo(1);
	}

	@Test
	void aTooSlowAnalysisIsAbandonedAndAcknowledgedInsteadOfHoldingTheDelivery() {
		analysis.delayMillis.set(ANALYSIS_TIMEOUT.multipliedBy(10).toMillis());
		EventEnvelope<ImageUploaded> request = request(store(corpus(CORPUS_FILE)));
		publish(request);

		await().atMost(Duration.ofSeconds(90)).until(() -> events("AnalysisFailed", request) == 1);
		assertThat(failedEventReason(request)).isEqualTo("RETRIES_EXHAUSTED");
		JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(() -> parkedEntry(request), (p) -> p != null);
		assertThat(parked.path("detail").asString()).contains("took longer than " + ANALYSIS_TIMEOUT);
		assertThat(results(request)).isZero();

		// the consumers are free again: a normal request goes through
		analysis.delayMillis.set(0);
		EventEnvelope<ImageUploaded> next = request(store(corpus(CORPUS_FILE)));
		publish(next);
		await().atMost(Duration.ofSeconds(60)).until(() -> results(next) == 1);
	}

	@Test
	void aListenerStoppedMidAnalysisGetsTheRequestRedeliveredAndItIsProcessedOnce() throws InterruptedException {
		RabbitListenerEndpointRegistry listeners = worker.getBean(RabbitListenerEndpointRegistry.class);
		analysis.delayMillis.set(2000);
		int startedBefore = analysis.started.get();
		EventEnvelope<ImageUploaded> request = request(store(corpus(CORPUS_FILE)));
		publish(request);
		int finishedBefore = analysis.finished.get();
		await().atMost(Duration.ofSeconds(30)).until(() -> analysis.started.get() > startedBefore);
		// the shutdown timeout (300 ms) is shorter than the analysis: the container gives up on the consumer
		// and closes its channel with the request unacknowledged, as when a worker process dies
		listeners.stop();
		analysis.delayMillis.set(0);
		// the abandoned consumer thread still finishes its analysis; a restart before it has wound down would be
		// stopped again by that thread's abort
		await().atMost(Duration.ofSeconds(30)).until(() -> analysis.finished.get() > finishedBefore
				&& worker.getBean(MeterRegistry.class).get("dicomflow.analysis.in_flight").gauge().value() == 0);
		Thread.sleep(1000);
		listeners.start();

		// redelivered to the restarted consumers and analysed a second time, but recorded once
		await().atMost(Duration.ofSeconds(60)).until(() -> analysis.started.get() - startedBefore >= 2);
		await().atMost(Duration.ofSeconds(30)).until(() -> events("AnalysisCompleted", request) == 1);
		assertThat(results(request)).isEqualTo(1);
		assertThat(events("AnalysisFailed", request)).isZero();
		assertThat(parkedEntry(request)).isNull();
	}

	@Test
	void aDroppedBrokerConnectionLosesNothing() throws Exception {
		analysis.delayMillis.set(300);
		List<EventEnvelope<ImageUploaded>> requests = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			requests.add(request(store(corpus(CORPUS_FILE))));
		}
		requests.forEach(AnalysisWorkerIT::publish);
		await().atMost(Duration.ofSeconds(60)).until(() -> requests.stream().anyMatch((r) -> results(r) == 1));
		dropBrokerConnections();

		for (EventEnvelope<ImageUploaded> request : requests) {
			await().atMost(Duration.ofSeconds(90)).until(() -> events("AnalysisCompleted", request) == 1);
			assertThat(results(request)).isEqualTo(1);
		}
		assertThat(db.queryForObject("select count(*) from outbox_event where published_at is null", Long.class))
			.isZero();
	}

	@Test
	void onRabbitMqTheWorkAndRetryQueuesAreQuorumQueuesWithADeliveryLimit() throws Exception {
		assumeTrue("rabbitmq".equals(infra.springProperties().get("dicomflow.amqp.broker")),
				"queue types and arguments are RabbitMQ's; the embedded Qpid broker is checked by the other tests");
		String queues = rabbitmqctl("list_queues", "-p", vhost(), "name", "type", "arguments");
		assertThat(queues.lines().filter((l) -> l.startsWith(Topology.ANALYSIS_REQUESTS + "\t")).findFirst().orElseThrow())
			.contains("quorum")
			.contains("x-delivery-limit")
			.contains(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE);
		assertThat(queues).contains(Topology.ANALYSIS_RETRY_PREFIX + "300ms\tquorum")
			.contains(Topology.ANALYSIS_PARKING + "\tquorum");
	}

	// --- helpers

	/**
	 * On RabbitMQ the broker closes every connection of the test's virtual host. The embedded broker keeps its
	 * queues in memory, so stopping it would lose them (its outage is BrokerOutageIT's subject, in standalone);
	 * here the worker's connection is torn down under it instead, with the same effect on the consumers:
	 * channels gone, unacknowledged deliveries back to the queue, reconnect.
	 */
	private static void dropBrokerConnections() throws Exception {
		if ("rabbitmq".equals(infra.springProperties().get("dicomflow.amqp.broker"))) {
			rabbitmqctl("close_all_connections", "-p", vhost(), "test: connection dropped");
		}
		else {
			worker.getBean(org.springframework.amqp.rabbit.connection.CachingConnectionFactory.class).resetConnection();
		}
	}

	private static String vhost() {
		return (String) infra.springProperties().get("spring.rabbitmq.virtual-host");
	}

	private static String rabbitmqctl(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	private static RabbitTemplate rabbit() {
		return worker.getBean(RabbitTemplate.class);
	}

	private static double processed() {
		return worker.getBean(MeterRegistry.class)
			.find("dicomflow.analysis.processed")
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

	private static double counter(String name) {
		return worker.getBean(MeterRegistry.class).find(name).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private static byte[] corpus(String name) {
		try (InputStream in = AnalysisWorkerIT.class.getResourceAsStream("/corpus/dicom/" + name)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Stored(String key, String sha256, long size) {
	}

	private static Stored store(byte[] bytes) {
		String key = "tests/" + UUID.randomUUID();
		try {
			String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
			worker.getBean(ObjectStore.class)
				.put(key, new ByteArrayInputStream(bytes), bytes.length, "application/dicom", Map.of("sha256", sha));
			return new Stored(key, sha, bytes.length);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A request with its own SOP Instance UID, so that no other test's result is reused for it. */
	private static EventEnvelope<ImageUploaded> request(Stored stored) {
		UUID upload = UUID.randomUUID();
		String sop = "2.25." + new java.math.BigInteger(1, uuidBytes(UUID.randomUUID()));
		return EventEnvelope.of(new ImageUploaded(upload, UUID.randomUUID(), stored.key(), stored.sha256(),
				stored.size(), sop, "1.2.840.10008.5.1.4.1.1.4", "2.25.1", "2.25.2", "1.2.840.10008.1.2.1"),
				upload.toString(), "alice", Traceparent.newRoot());
	}

	private static byte[] uuidBytes(UUID id) {
		return java.nio.ByteBuffer.allocate(16)
			.putLong(id.getMostSignificantBits())
			.putLong(id.getLeastSignificantBits())
			.array();
	}

	private static void publish(EventEnvelope<ImageUploaded> request) {
		MessageProperties props = new MessageProperties();
		props.setMessageId(request.eventId().toString());
		props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		rabbit().send(Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED,
				new Message(worker.getBean(EventCodec.class).encode(request), props));
	}

	private static long results(EventEnvelope<ImageUploaded> request) {
		return db.queryForObject("select count(*) from medical_image_result where sop_instance_uid = ?", Long.class,
				request.payload().sopInstanceUid());
	}

	private static long events(String type, EventEnvelope<ImageUploaded> request) {
		return db.queryForObject("select count(*) from outbox_event where headers->>'type' = ? "
				+ "and convert_from(payload, 'UTF8') like ?", Long.class, type,
				"%" + request.payload().fileId() + "%");
	}

	private static String failedEventReason(EventEnvelope<ImageUploaded> request) {
		String payload = db.queryForObject("select convert_from(payload, 'UTF8') from outbox_event where "
				+ "headers->>'type' = 'AnalysisFailed' and convert_from(payload, 'UTF8') like ?", String.class,
				"%" + request.payload().fileId() + "%");
		return JSON.readTree(payload).path("payload").path("reasonCode").asString();
	}

	private static JsonNode parkedList() {
		return http.get()
			.uri("/api/admin/analysis/parked?limit=1000")
			.header(HttpHeaders.AUTHORIZATION, WorkerTokens.bearer("operator", "admin"))
			.exchange((req, res) -> JSON.readTree(res.getBody().readAllBytes()))
			.path("messages");
	}

	private static JsonNode parkedEntry(EventEnvelope<ImageUploaded> request) {
		return parkedList().valueStream()
			.filter((p) -> request.eventId().toString().equals(p.path("messageId").asString()))
			.findFirst()
			.orElse(null);
	}

	private record Reply(int status, JsonNode body) {
	}

	private static Reply requeue(String authorization, EventEnvelope<ImageUploaded> request) {
		return http.post()
			.uri("/api/admin/analysis/parked/requeue")
			.header(HttpHeaders.AUTHORIZATION, authorization)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"messageIds\":[\"" + request.eventId() + "\"]}")
			.exchange((req, res) -> {
				byte[] body = res.getBody().readAllBytes();
				return new Reply(res.getStatusCode().value(),
						(body.length == 0) ? JSON.missingNode() : JSON.readTree(body));
			});
	}

	/** The real analyser, optionally slowed down; counts the analyses started. */
	static final class ControllableAnalysis implements PixelAnalysis {

		final AtomicLong delayMillis = new AtomicLong();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		private final ImageAnalyzer real = ImageAnalyzer.create();

		@Override
		public io.dicomflow.common.analysis.ImageAnalysis analyze(java.nio.file.Path file)
				throws io.dicomflow.common.dicom.DicomParseException,
				io.dicomflow.common.analysis.UnsupportedImageException, IOException {
			this.started.incrementAndGet();
			try {
				long delay = this.delayMillis.get();
				if (delay > 0) {
					try {
						Thread.sleep(delay);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IOException("analysis interrupted");
					}
				}
				return this.real.analyze(file);
			}
			finally {
				this.finished.incrementAndGet();
			}
		}

	}

}
