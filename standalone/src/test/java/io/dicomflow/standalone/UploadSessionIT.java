package io.dicomflow.standalone;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upload session declared with three files, sent in three requests and committed: exactly one
 * {@code UploadCompleted} event, and only at the commit; an early commit names what is missing.
 */
class UploadSessionIT {

	private final Pipeline pipeline = Pipeline.get();

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	@Test
	void aSessionCommittedAfterThreeRequestsGivesOneUploadCompleted() throws Exception {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		List<byte[]> files = List.of(image(study, series, 1), image(study, series, 2), image(study, series, 3));
		List<Map<String, String>> declared = List.of(Map.of("name", "one.dcm", "sha256", sha256(files.get(0))),
				Map.of("name", "two.dcm", "sha256", sha256(files.get(1))),
				Map.of("name", "three.dcm", "sha256", sha256(files.get(2))));

		Pipeline.Response opened = this.pipeline.post("alice", "/api/uploads/sessions",
				Map.of("files", 3, "declared", declared));
		assertThat(opened.status()).isEqualTo(201);
		String id = opened.body().path("id").asString();
		assertThat(opened.body().path("state").asString()).isEqualTo("OPEN");

		String[] names = { "one.dcm", "two.dcm", "three.dcm" };
		for (int i = 0; i < 3; i++) {
			Pipeline.Response sent = this.pipeline.uploadTo("alice", "/api/uploads/sessions/" + id + "/files",
					Map.of(names[i], files.get(i)));
			assertThat(sent.status()).as("request %d", i + 1).isEqualTo(202);
			assertThat(sent.body().path("files").get(0).path("outcome").asString()).isEqualTo("ACCEPTED");
			assertThat(completedEvents(id)).as("no UploadCompleted before the commit").isZero();
			if (i == 1) {
				Pipeline.Response early = this.pipeline.post("alice", "/api/uploads/sessions/" + id + "/commit", null);
				assertThat(early.status()).isEqualTo(409);
				assertThat(early.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(early.body().path("missing").valueStream().map(JsonNode::asString))
					.containsExactly("three.dcm");
			}
		}
		JsonNode open = this.pipeline.get("alice", "/api/uploads/" + id).body();
		assertThat(open.path("state").asString()).isEqualTo("OPEN");
		assertThat(open.path("files")).hasSize(3);

		Pipeline.Response committed = this.pipeline.post("alice", "/api/uploads/sessions/" + id + "/commit", null);
		assertThat(committed.status()).isEqualTo(200);
		assertThat(committed.body().path("fileIds")).hasSize(3);
		Pipeline.Response again = this.pipeline.post("alice", "/api/uploads/sessions/" + id + "/commit", null);
		assertThat(again.status()).isEqualTo(200);

		assertThat(completedEvents(id)).isEqualTo(1);
		String payload = this.db.queryForObject("select convert_from(payload, 'UTF8') from outbox_event "
				+ "where headers->>'type' = 'UploadCompleted' and convert_from(payload, 'UTF8') like ?", String.class,
				"%" + id + "%");
		for (JsonNode fileId : committed.body().path("fileIds")) {
			assertThat(payload).contains(fileId.asString());
		}
		JsonNode done = this.pipeline.get("alice", "/api/uploads/" + id).body();
		assertThat(done.path("state").asString()).isEqualTo("COMMITTED");
		assertThat(done.path("committedAt").isMissingNode()).isFalse();

		Pipeline.Response late = this.pipeline.uploadTo("alice", "/api/uploads/sessions/" + id + "/files",
				Map.of("four.dcm", image(study, series, 4)));
		assertThat(late.status()).isEqualTo(409);
		assertThat(late.body().path("type").asString()).endsWith("/session-committed");
	}

	@Test
	void anotherUsersSessionIsNotFound() {
		Pipeline.Response opened = this.pipeline.post("alice", "/api/uploads/sessions", Map.of("files", 1));
		String id = opened.body().path("id").asString();
		Pipeline.Response bob = this.pipeline.uploadTo("bob", "/api/uploads/sessions/" + id + "/files",
				Map.of("x.dcm", image(Part10Writer.uid(), Part10Writer.uid(), 9)));
		assertThat(bob.status()).isEqualTo(404);
		assertThat(this.pipeline.post("bob", "/api/uploads/sessions/" + id + "/commit", null).status()).isEqualTo(404);
		assertThat(this.db.queryForObject("select count(*) from upload_file where upload_id = ?::uuid", Long.class, id))
			.isZero();
	}

	private long completedEvents(String uploadId) {
		return this.db.queryForObject("select count(*) from outbox_event where headers->>'type' = 'UploadCompleted' "
				+ "and convert_from(payload, 'UTF8') like ?", Long.class, "%" + uploadId + "%");
	}

	private static byte[] image(String study, String series, int seed) {
		return Part10Writer
			.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, series, Part10Writer.pixels(seed))
			.toBytes();
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
