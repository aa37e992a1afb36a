package io.dicomflow.standalone;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.common.messaging.Topology;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Not a test but a measuring driver (its name matches neither the unit-test nor the IT pattern, so
 * {@code ./mvnw verify} never runs it): pushes the events of N single-file uploads ({@code UploadCompleted} +
 * {@code AnalysisCompleted}, as the worker's outbox would) into the notification side of the whole standalone
 * and reports the CPU time this JVM spent until every upload was announced {@code FilesNotified}, i.e. its
 * owner was told: per thread group (notifier listeners, the embedded SMTP server, the embedded broker, …) and
 * in total, minus the idle rate of the same JVM measured just before. PostgreSQL runs in its own process and
 * is not counted. Run: {@code ./mvnw -B -q -pl standalone -am verify -Dit.test=NotificationCostBench -Dtest=None
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class NotificationCostBench {

	private static final int WARM_UP = 200;

	private static final int UPLOADS = 1000;

	private final Pipeline pipeline = Pipeline.get();

	private final RabbitTemplate rabbit = this.pipeline.services.notification().getBean(RabbitTemplate.class);

	private final JdbcTemplate db = this.pipeline.services.notification().getBean(JdbcTemplate.class);

	private final EventCodec codec = new EventCodec();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	@Test
	void cpuPerSingleFileUploadOnTheNotificationSide() throws Exception {
		push(WARM_UP, "warm-up", false);
		push(WARM_UP / 2, "warm-up", true);
		Thread.sleep(2000);
		// uploads of one request (a digest per user per window), then explicit sessions (one summary email each,
		// so the per-mail cost shows)
		measure(false);
		measure(true);
	}

	private void measure(boolean sessions) throws Exception {
		Map<Long, long[]> idleStart = threadCpu();
		long idleCpu = processCpu();
		long idleNanos = System.nanoTime();
		Thread.sleep(5000);
		double idleRate = (processCpu() - idleCpu) / (double) (System.nanoTime() - idleNanos);
		Map<String, Long> idleByGroup = delta(idleStart, threadCpu());

		// execution samples of the measured run, to see where the CPU goes (threads that die, such as an SMTP
		// server's per-connection handlers, and GC are not in the per-thread table below)
		Recording recording = new Recording(Configuration.getConfiguration("default"));
		recording.start();
		int mailsBefore = this.pipeline.infrastructure.mail().getReceivedMessages().length;
		Map<Long, long[]> start = threadCpu();
		long cpu0 = processCpu();
		long t0 = System.nanoTime();
		push(UPLOADS, "measured", sessions);
		long elapsed = System.nanoTime() - t0;
		long cpu = processCpu() - cpu0;
		Map<String, Long> byGroup = delta(start, threadCpu());
		recording.stop();
		Path jfr = Path.of("target", "notification-cost-" + (sessions ? "sessions" : "uploads") + ".jfr");
		recording.dump(jfr);
		recording.close();

		double net = cpu - idleRate * elapsed;
		System.out.printf("%nNotificationCostBench: %d single-file %s (2 events each) in %.1f s wall%n", UPLOADS,
				sessions ? "explicit sessions" : "uploads", elapsed / 1e9);
		System.out.printf("  process CPU %.0f ms, idle rate %.3f cores -> net %.0f ms = %.3f ms CPU per upload%n",
				cpu / 1e6, idleRate, net / 1e6, net / 1e6 / UPLOADS);
		System.out.printf("  mails received by the SMTP server during the run: %d%n",
				this.pipeline.infrastructure.mail().getReceivedMessages().length - mailsBefore);
		System.out.println("  JFR recording: " + jfr.toAbsolutePath());
		System.out.println("  thread group: CPU ms during the run (idle 5 s for comparison)");
		byGroup.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(15)
			.forEach((e) -> System.out.printf("    %-60s %8.0f (%5.0f)%n", e.getKey(), e.getValue() / 1e6,
					idleByGroup.getOrDefault(e.getKey(), 0L) / 1e6));
		assertThat(net).isPositive();
	}

	/** Sends the events of {@code count} single-file uploads and waits until each was announced notified. */
	private void push(int count, String label, boolean sessions) {
		Instant since = Instant.now().minusSeconds(1);
		Integer before = notifiedSince(since);
		List<UUID> uploads = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			UUID upload = UUID.randomUUID();
			UUID file = UUID.randomUUID();
			uploads.add(upload);
			send(new UploadCompleted(upload, List.of(file), sessions), upload, Topology.UPLOADS_EXCHANGE,
					Topology.UPLOAD_COMPLETED);
			send(new AnalysisCompleted(upload, file, UUID.randomUUID().toString(),
					"1.2.826.0.1.3680043.10.1." + Math.abs(upload.getLeastSignificantBits()), "bench", 262144, 512.5,
					0.25), upload, Topology.ANALYSIS_EXCHANGE, Topology.ANALYSIS_COMPLETED);
		}
		await(label).atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> notifiedSince(since) - before >= count);
	}

	private void send(EventPayload payload, UUID upload, String exchange, String routingKey) {
		EventEnvelope<?> event = EventEnvelope.of(payload, upload.toString(), "bob", null);
		MessageProperties props = new MessageProperties();
		props.setMessageId(event.eventId().toString());
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		this.rabbit.send(exchange, routingKey, new Message(this.codec.encode(event), props));
	}

	private int notifiedSince(Instant since) {
		return this.db.queryForObject("select count(*) from outbox_event where headers->>'type' = 'FilesNotified' "
				+ "and created_at >= ?", Integer.class, Timestamp.from(since));
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** Thread id → {CPU ns} with its name kept aside, for grouping. */
	private final Map<Long, String> names = new HashMap<>();

	private Map<Long, long[]> threadCpu() {
		Map<Long, long[]> cpu = new HashMap<>();
		for (var info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info != null) {
				long time = this.threads.getThreadCpuTime(info.getThreadId());
				if (time >= 0) {
					cpu.put(info.getThreadId(), new long[] { time });
					this.names.put(info.getThreadId(), info.getThreadName());
				}
			}
		}
		return cpu;
	}

	/** CPU spent between two snapshots, by thread name with numbers removed (threads of a pool together). */
	private Map<String, Long> delta(Map<Long, long[]> before, Map<Long, long[]> after) {
		Map<String, Long> groups = new TreeMap<>();
		after.forEach((id, time) -> {
			long[] was = before.get(id);
			long spent = time[0] - ((was == null) ? 0 : was[0]);
			String group = this.names.get(id).replaceAll("[0-9]+", "#");
			groups.merge(group, spent, Long::sum);
		});
		return groups;
	}

}
