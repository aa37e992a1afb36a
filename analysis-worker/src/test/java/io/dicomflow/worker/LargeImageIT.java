package io.dicomflow.worker;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 100 MiB multi-frame image (200 frames of 512×512 16-bit) analysed by a real worker process started with
 * {@code -Xmx512m}: fetched from S3 into a scratch file and decoded one frame at a time. The worker runs in
 * its own JVM, so its heap limit is the one the test sets.
 */
class LargeImageIT {

	private static final int ROWS = 512;

	private static final int COLUMNS = 512;

	private static final int FRAMES = 200;

	@Test
	void aHundredMegabyteMultiFrameImageIsAnalysedByAWorkerWithHalfAGigabyteOfHeap(@TempDir Path dir)
			throws Exception {
		Path image = writeMultiFrame(dir.resolve("large.dcm"));
		assertThat(Files.size(image)).isGreaterThan(100L * 1024 * 1024);
		try (Infrastructure infra = Infrastructure.start(InfraOptions.forTests())) {
			Map<String, Object> properties = new LinkedHashMap<>(infra.springProperties());
			properties.putAll(WorkerTokens.resourceServerProperties());
			properties.put("server.port", 0);
			properties.put("management.server.port", 0);
			properties.put("dicomflow.worker.concurrency", 1);
			properties.put("dicomflow.worker.prefetch", 1);
			properties.put("dicomflow.outbox.poll-interval", "200ms");
			Process worker = startWorker(properties, dir.resolve("worker.log"));
			try {
				String key = "tests/large/" + UUID.randomUUID();
				String sha = sha256(image);
				try (S3Client s3 = infra.s3Client()) {
					s3.putObject((r) -> r.bucket(infra.s3Bucket()).key(key), RequestBody.fromFile(image));
				}
				JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(
						(String) infra.springProperties().get("spring.datasource.url"),
						(String) infra.springProperties().get("spring.datasource.username"),
						String.valueOf(infra.springProperties().getOrDefault("spring.datasource.password", "")), true));
				// the worker is consuming once its work queue exists and has a consumer
				await().atMost(Duration.ofMinutes(3)).until(() -> consumers(infra) > 0 || !worker.isAlive());
				assertThat(worker.isAlive()).isTrue();

				UUID upload = UUID.randomUUID();
				EventEnvelope<ImageUploaded> request = EventEnvelope.of(new ImageUploaded(upload, UUID.randomUUID(), key,
						sha, Files.size(image), "2.25." + Math.abs(new Random().nextLong()), "1.2.840.10008.5.1.4.1.1.2",
						"2.25.1", "2.25.2", "1.2.840.10008.1.2.1"), upload.toString(), "alice", Traceparent.newRoot());
				publish(infra, request);

				Long values = await().atMost(Duration.ofMinutes(5))
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> db.queryForList("select data_size from medical_image_result where sop_instance_uid = ?",
							Long.class, request.payload().sopInstanceUid()).stream().findFirst().orElse(null),
							(v) -> v != null || !worker.isAlive());
				assertThat(worker.isAlive()).as("worker process (log: %s)", Files.readString(dir.resolve("worker.log")))
					.isTrue();
				assertThat(values).isEqualTo((long) ROWS * COLUMNS * FRAMES);
				assertThat(Files.readString(dir.resolve("worker.log"))).doesNotContain("OutOfMemoryError");
			}
			finally {
				worker.destroy();
				worker.waitFor();
			}
		}
	}

	private static Process startWorker(Map<String, Object> properties, Path log) throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
				"-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
				AnalysisWorkerApplication.class.getName()));
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static int consumers(Infrastructure infra) {
		CachingConnectionFactory connections = connections(infra);
		try {
			var info = new org.springframework.amqp.rabbit.core.RabbitAdmin(connections)
				.getQueueInfo(Topology.ANALYSIS_REQUESTS);
			return (info != null) ? info.getConsumerCount() : 0;
		}
		finally {
			connections.destroy();
		}
	}

	private static CachingConnectionFactory connections(Infrastructure infra) {
		Map<String, Object> p = infra.springProperties();
		CachingConnectionFactory connections = new CachingConnectionFactory((String) p.get("spring.rabbitmq.host"),
				Integer.parseInt(p.get("spring.rabbitmq.port").toString()));
		connections.setUsername((String) p.get("spring.rabbitmq.username"));
		connections.setPassword((String) p.get("spring.rabbitmq.password"));
		connections.setVirtualHost((String) p.get("spring.rabbitmq.virtual-host"));
		return connections;
	}

	private static void publish(Infrastructure infra, EventEnvelope<ImageUploaded> request) {
		CachingConnectionFactory connections = connections(infra);
		try {
			MessageProperties props = new MessageProperties();
			props.setMessageId(request.eventId().toString());
			props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
			new RabbitTemplate(connections).send(Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED,
					new Message(new EventCodec().encode(request), props));
		}
		finally {
			connections.destroy();
		}
	}

	private static String sha256(Path file) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** A minimal Part 10 file, explicit VR little endian, 16-bit signed CT-like values, {@value #FRAMES} frames. */
	private static Path writeMultiFrame(Path file) throws IOException {
		try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
			out.write(new byte[128]);
			out.writeBytes("DICM");
			java.io.ByteArrayOutputStream metaBytes = new java.io.ByteArrayOutputStream();
			DataOutputStream meta = new DataOutputStream(metaBytes);
			element(meta, 0x0002, 0x0001, "OB", new byte[] { 0, 1 });
			element(meta, 0x0002, 0x0002, "UI", text("1.2.840.10008.5.1.4.1.1.2", '\0'));
			element(meta, 0x0002, 0x0003, "UI", text("2.25.4242", '\0'));
			element(meta, 0x0002, 0x0010, "UI", text("1.2.840.10008.1.2.1", '\0'));
			element(out, 0x0002, 0x0000, "UL", le(metaBytes.size(), 4));
			out.write(metaBytes.toByteArray());
			element(out, 0x0008, 0x0016, "UI", text("1.2.840.10008.5.1.4.1.1.2", '\0'));
			element(out, 0x0008, 0x0060, "CS", text("CT", ' '));
			element(out, 0x0028, 0x0002, "US", le(1, 2));
			element(out, 0x0028, 0x0004, "CS", text("MONOCHROME2", ' '));
			element(out, 0x0028, 0x0008, "IS", text(Integer.toString(FRAMES), ' '));
			element(out, 0x0028, 0x0010, "US", le(ROWS, 2));
			element(out, 0x0028, 0x0011, "US", le(COLUMNS, 2));
			element(out, 0x0028, 0x0100, "US", le(16, 2));
			element(out, 0x0028, 0x0101, "US", le(12, 2));
			element(out, 0x0028, 0x0102, "US", le(11, 2));
			element(out, 0x0028, 0x0103, "US", le(1, 2));
			tag(out, 0x7FE0, 0x0010);
			out.writeBytes("OW");
			out.writeShort(0);
			out.write(le(2 * ROWS * COLUMNS * FRAMES, 4));
			Random random = new Random(42);
			byte[] frame = new byte[2 * ROWS * COLUMNS];
			for (int f = 0; f < FRAMES; f++) {
				for (int i = 0; i < ROWS * COLUMNS; i++) {
					int v = (int) Math.max(-1024, Math.min(3071, random.nextGaussian() * 600));
					frame[2 * i] = (byte) v;
					frame[2 * i + 1] = (byte) (v >> 8);
				}
				out.write(frame);
			}
		}
		return file;
	}

	private static void element(DataOutputStream out, int group, int element, String vr, byte[] value)
			throws IOException {
		tag(out, group, element);
		out.writeBytes(vr);
		if (vr.equals("OB") || vr.equals("OW")) {
			out.writeShort(0);
			out.write(le(value.length, 4));
		}
		else {
			out.write(le(value.length, 2));
		}
		out.write(value);
	}

	private static void tag(DataOutputStream out, int group, int element) throws IOException {
		out.write(le(group, 2));
		out.write(le(element, 2));
	}

	private static byte[] le(int value, int bytes) {
		byte[] b = new byte[bytes];
		for (int i = 0; i < bytes; i++) {
			b[i] = (byte) (value >> (8 * i));
		}
		return b;
	}

	private static byte[] text(String value, char pad) {
		String padded = (value.length() % 2 == 0) ? value : value + pad;
		return padded.getBytes(StandardCharsets.US_ASCII);
	}

}
