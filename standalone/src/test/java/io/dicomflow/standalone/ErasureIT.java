package io.dicomflow.standalone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.upload.erasure.Retention;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure end to end: an upload, a study and (by retention) an expired upload are erased — afterwards no
 * object is left under their S3 prefix and no row of any table names their upload or file ids (every table of
 * the schema is searched, bar the append-only audit trail, which records the erasure). Another owner's id
 * answers 404, and an upload with a file still on its way is refused with 409 (no race with the worker or
 * the notifier).
 */
class ErasureIT {

	private final Pipeline pipeline = Pipeline.get();

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	private final S3Client s3 = this.pipeline.services.upload().getBean(S3Client.class);

	private final String bucket = this.pipeline.infrastructure.s3Bucket();

	@Test
	void anUploadAStudyAndAnExpiredUploadLeaveNothingInS3OrPostgresql() {
		Stored upload = store("alice");
		Stored study = store("alice");
		Stored expired = store("bob");
		// a file of the upload kept in quarantine (as under DICOMFLOW_VALIDATION_ON_FAILURE=quarantine)
		String quarantined = quarantine(upload);
		assertThat(exists(quarantined)).isTrue();

		// another owner's upload and study are missing to bob
		assertThat(delete("bob", "/api/uploads/" + upload.uploadId()).status()).isEqualTo(404);
		assertThat(delete("bob", "/dicomweb/studies/" + study.study()).status()).isEqualTo(404);

		for (Stored stored : List.of(upload, study, expired)) {
			awaitNotified(stored);
			assertThat(objects(stored)).as("objects before").hasSize(2);
			assertThat(mentions(stored)).as("rows before").isNotEmpty();
		}

		// a file still on its way (here: put back to QUEUED, as a worker holding it would see it) blocks the
		// erasure: 409 problem+json and nothing erased; settled again, the same request erases
		this.db.update("update upload_file set state = 'QUEUED' where id = ?::uuid", upload.fileIds().get(0));
		Pipeline.Response early = delete("alice", "/api/uploads/" + upload.uploadId());
		assertThat(early.status()).isEqualTo(409);
		assertThat(early.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(early.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/not-settled");
		assertThat(objects(upload)).hasSize(2);
		assertThat(exists(quarantined)).isTrue();
		this.db.update("update upload_file set state = 'NOTIFIED' where id = ?::uuid", upload.fileIds().get(0));

		Instant start = Instant.now().minusSeconds(1);
		assertThat(delete("alice", "/api/uploads/" + upload.uploadId()).status()).isEqualTo(204);
		assertThat(delete("alice", "/dicomweb/studies/" + study.study()).status()).isEqualTo(204);
		this.db.update("update upload set created_at = now() - interval '30 days' where id = ?::uuid",
				expired.uploadId());
		int expiredCount = this.pipeline.services.upload()
			.getBean(Retention.class)
			.expire(Instant.now().minus(Duration.ofDays(7)));
		assertThat(expiredCount).isEqualTo(1);

		for (Stored stored : List.of(upload, study, expired)) {
			assertThat(objects(stored)).as("objects left of %s", stored).isEmpty();
			assertThat(mentions(stored)).as("rows left of %s", stored).isEmpty();
			assertThat(this.pipeline.get(stored.owner(), "/api/uploads/" + stored.uploadId()).status()).isEqualTo(404);
			assertThat(Dicomweb.get(stored.owner(), "/dicomweb/studies/" + stored.study() + "/metadata",
					"application/dicom+json").status()).isEqualTo(404);
		}
		assertThat(delete("alice", "/api/uploads/" + upload.uploadId()).status()).isEqualTo(404);
		assertThat(exists(quarantined)).as("quarantined copy").isFalse();

		// each erasure is in the audit trail
		assertThat(audit("resource=" + upload.uploadId() + "&user=alice&from=" + start))
			.contains("DELETE upload ALLOWED 204");
		assertThat(audit("resource=" + study.study() + "&user=alice&from=" + start))
			.contains("DELETE study ALLOWED 204");
		assertThat(audit("resource=" + expired.uploadId() + "&user=system:retention&from=" + start))
			.containsExactly("DELETE upload ALLOWED 0");
	}

	/** Two instances of a new study in one upload of {@code owner}. */
	private Stored store(String owner) {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		Pipeline.Response response = this.pipeline.upload(owner, Map.of("a.dcm",
				Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, series, Part10Writer.pixels(31))
					.toBytes(),
				"b.dcm", Part10Writer
					.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, series, Part10Writer.pixels(32))
					.toBytes()));
		assertThat(response.status()).isEqualTo(202);
		List<String> fileIds = new ArrayList<>();
		response.body().path("files").forEach((f) -> fileIds.add(f.path("fileId").asString()));
		assertThat(fileIds).hasSize(2).doesNotContain("");
		return new Stored(owner, response.body().path("uploadId").asString(), study, fileIds);
	}

	private String quarantine(Stored stored) {
		byte[] bytes = "not a DICOM file".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		try {
			java.util.UUID id = this.pipeline.services.upload()
				.getBean(io.dicomflow.upload.quarantine.Quarantine.class)
				.keep(stored.owner(), java.util.UUID.fromString(stored.uploadId()), "q.dcm", "00", bytes.length,
						new io.dicomflow.upload.validation.Rejection(io.dicomflow.upload.validation.RejectionCode.NOT_DICOM,
								null, "test"),
						() -> new java.io.ByteArrayInputStream(bytes));
			return this.pipeline.services.upload().getBean(io.dicomflow.common.storage.ObjectStore.class).tenant()
					+ "/quarantine/" + id;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private boolean exists(String key) {
		return this.pipeline.services.upload()
			.getBean(io.dicomflow.common.storage.ObjectStore.class)
			.head(key)
			.isPresent();
	}

	private void awaitNotified(Stored stored) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.get(stored.owner(), "/api/uploads/" + stored.uploadId()).body(),
					(body) -> body.path("files").size() == 2 && body.path("files")
						.valueStream()
						.allMatch((f) -> "NOTIFIED".equals(f.path("state").asString())));
	}

	private List<String> objects(Stored stored) {
		String prefix = this.pipeline.services.upload()
			.getBean(io.dicomflow.common.storage.ObjectStore.class)
			.tenant() + "/owners/" + ObjectKeys.ownerKey(stored.owner()) + "/studies/" + stored.study() + "/";
		return this.s3.listObjectsV2((r) -> r.bucket(this.bucket).prefix(prefix))
			.contents()
			.stream()
			.map((o) -> o.key())
			.toList();
	}

	/**
	 * "table: count" for every table of the schema with a row whose text (bytea as escaped ASCII) contains the
	 * upload id, a file id or the study UID; the audit trail and Flyway's history excepted.
	 */
	private List<String> mentions(Stored stored) {
		List<String> needles = new ArrayList<>(stored.fileIds());
		needles.add(stored.uploadId());
		needles.add(stored.study());
		List<String> found = new ArrayList<>();
		List<String> tables = this.db.queryForList("select table_name from information_schema.tables "
				+ "where table_schema = current_schema() and table_type = 'BASE TABLE' "
				+ "and table_name not in ('access_audit', 'flyway_schema_history')", String.class);
		assertThat(tables).contains("upload", "upload_file", "medical_image_result", "notification_feed",
				"outbox_event", "instance_claim", "dicomweb_instance", "quarantined_file");
		for (String table : tables) {
			List<String> byteaColumns = this.db.queryForList("select column_name from information_schema.columns "
					+ "where table_schema = current_schema() and table_name = ? and data_type = 'bytea'", String.class,
					table);
			StringBuilder text = new StringBuilder("t::text");
			for (String column : byteaColumns) {
				// 'escape' keeps ASCII as is (so an id stored in the bytes is found) and writes any other byte as \\nnn:
				// convert_from(…, 'UTF8') fails on bytes that are not UTF-8, e.g. a result's PNG thumbnail
				text.append(" || coalesce(encode(t.").append(column).append(", 'escape'), '')");
			}
			for (String needle : needles) {
				Long n = this.db.queryForObject(
						"select count(*) from " + table + " t where position(? in " + text + ") > 0", Long.class,
						needle);
				if (n != null && n > 0) {
					found.add(table + " mentions " + needle + ": " + n);
				}
			}
		}
		return found;
	}

	private List<String> audit(String query) {
		Pipeline.Response response = this.pipeline.get("admin", "/api/admin/audit?" + query);
		assertThat(response.status()).isEqualTo(200);
		List<String> records = new ArrayList<>();
		for (JsonNode r : response.body().path("items")) {
			records.add(r.path("action").asString() + " " + r.path("resourceType").asString() + " "
					+ r.path("outcome").asString() + " " + r.path("status").asInt());
		}
		return records;
	}

	private Pipeline.Response delete(String user, String path) {
		return this.pipeline.http.delete()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> {
				byte[] bytes = response.getBody().readAllBytes();
				return new Pipeline.Response(response.getStatusCode().value(), response.getHeaders().getContentType(),
						bytes.length == 0 ? Pipeline.JSON.missingNode() : Pipeline.JSON.readTree(bytes));
			});
	}

	private record Stored(String owner, String uploadId, String study, List<String> fileIds) {
	}

}
