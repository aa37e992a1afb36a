package io.dicomflow.standalone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With the broker down, uploads are still accepted (their events wait in the outbox); once it is back, every
 * event goes out and every file is analysed exactly once.
 */
class BrokerOutageIT {

	private static final List<String> FILES = List.of("pydicom-dicomdirtests-98892003_MR1_15820.dcm",
			"nibabel-0.dcm");

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void uploadsDuringABrokerOutageAreAnalysedOnceItIsBack() {
		assumeTrue(!"local".equals(System.getProperty("infra")),
				"stops the broker, so it runs on the embedded broker (the second CI pass)");
		JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);
		Pipeline.Response receipt;
		this.pipeline.infrastructure.stopBroker();
		try {
			Map<String, byte[]> files = new LinkedHashMap<>();
			FILES.forEach((name) -> files.put(name, Pipeline.corpus(name)));
			receipt = this.pipeline.upload("alice", files);
			assertThat(receipt.status()).isEqualTo(202);
			String uploadId = receipt.body().path("uploadId").asString();
			JsonNode upload = this.pipeline.get("alice", "/api/uploads/" + uploadId).body();
			assertThat(upload.path("files").valueStream().map((f) -> f.path("state").asString()))
				.containsOnly("STORED");
			assertThat(db.queryForObject("select count(*) from outbox_event where published_at is null "
					+ "and headers->>'type' = 'ImageUploaded' and convert_from(payload, 'UTF8') like ?", Long.class,
					"%" + uploadId + "%")).isEqualTo(2);
		}
		finally {
			this.pipeline.infrastructure.startBroker();
		}

		String uploadId = receipt.body().path("uploadId").asString();
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.pipeline.get("alice", "/api/uploads/" + uploadId).body(),
					(body) -> body.path("files").valueStream().allMatch((f) -> f.path("transitions").has("DONE")));
		assertThat(db.queryForObject("select count(*) from medical_image_result where upload_id = ?::uuid", Long.class,
				uploadId)).isEqualTo(2);
		// the notifier's FilesNotified rows follow the results, so the outbox drains a moment after DONE
		await().atMost(Duration.ofSeconds(30))
			.until(() -> db.queryForObject("select count(*) from outbox_event where published_at is null", Long.class),
					(pending) -> pending == 0);
	}

}
