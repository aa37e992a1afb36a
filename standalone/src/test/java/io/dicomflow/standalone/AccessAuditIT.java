package io.dicomflow.standalone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The access audit trail over HTTP: reads of one's own and of another owner's upload are recorded with the
 * subject, action, resource, outcome and address (another owner's as MISSING, never ALLOWED); the admin API
 * finds them and refuses non-admins with 403 problem+json (itself audited as DENIED); the structured
 * {@code dicomflow.audit} lines carry the same; and the table refuses UPDATE, DELETE and TRUNCATE.
 */
class AccessAuditIT {

	private final Pipeline pipeline = Pipeline.get();

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	@Test
	void readsOfOwnAndForeignUploadsAreAuditedAndOnlyAdminsQueryThem() {
		Instant start = Instant.now().minusSeconds(1);
		String uploadId;
		List<String> lines;
		try (LogCapture capture = LogCapture.start()) {
			Pipeline.Response upload = this.pipeline.upload("alice", Map.of("a.dcm", Part10Writer
				.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(), Part10Writer.uid(),
						Part10Writer.pixels(21))
				.toBytes()));
			assertThat(upload.status()).isEqualTo(202);
			uploadId = upload.body().path("uploadId").asString();

			assertThat(this.pipeline.get("alice", "/api/uploads/" + uploadId).status()).isEqualTo(200);
			assertThat(this.pipeline.get("bob", "/api/uploads/" + uploadId).status()).isEqualTo(404);
			// a QIDO search: its matching keys (patient values) must not reach the trail
			assertThat(Dicomweb.get("bob", "/dicomweb/studies?PatientName=Test*", "application/dicom+json").status())
				.isEqualTo(200);
			lines = capture.lines();
		}

		JsonNode bobs = audit("admin", "/api/admin/audit?user=bob&resource=" + uploadId + "&from=" + start);
		assertThat(bobs.path("items")).hasSize(1);
		JsonNode denied = bobs.path("items").get(0);
		assertThat(denied.path("subject").asString()).isEqualTo("bob");
		assertThat(denied.path("action").asString()).isEqualTo("READ");
		assertThat(denied.path("resourceType").asString()).isEqualTo("upload");
		assertThat(denied.path("resourceId").asString()).isEqualTo(uploadId);
		assertThat(denied.path("outcome").asString()).isEqualTo("MISSING");
		assertThat(denied.path("status").asInt()).isEqualTo(404);
		assertThat(denied.path("route").asString()).isEqualTo("/api/uploads/{id}");
		assertThat(denied.path("remoteAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(denied.path("service").asString()).isNotBlank();

		JsonNode alices = audit("admin", "/api/admin/audit?user=alice&resource=" + uploadId + "&from=" + start);
		assertThat(alices.path("items").valueStream().map((r) -> r.path("action").asString() + " "
				+ r.path("outcome").asString())).containsExactlyInAnyOrder("READ ALLOWED");
		// the upload itself is a CREATE of the uploads collection
		JsonNode creates = audit("admin", "/api/admin/audit?user=alice&from=" + start);
		assertThat(creates.path("items").valueStream()
			.anyMatch((r) -> r.path("action").asString().equals("CREATE")
					&& r.path("route").asString().equals("/api/uploads")
					&& r.path("outcome").asString().equals("ALLOWED"))).isTrue();

		JsonNode qido = audit("admin", "/api/admin/audit?user=bob&from=" + start);
		assertThat(qido.path("items").valueStream().map((r) -> r.path("route").asString()))
			.contains("/dicomweb/studies")
			.allSatisfy((route) -> assertThat(route).doesNotContain("?").doesNotContainIgnoringCase("PatientName"));

		// the structured stream carries the same record
		assertThat(lines).anySatisfy((line) -> assertThat(line).startsWith("INFO dicomflow.audit")
			.contains("subject=bob", "action=READ", "resource_type=upload", "resource_id=" + uploadId,
					"outcome=MISSING", "status=404", "route=/api/uploads/{id}", "remote=127.0.0.1"));
		assertThat(lines).filteredOn((line) -> line.startsWith("INFO dicomflow.audit"))
			.noneMatch((line) -> line.contains("PatientName") || line.contains("Test*"));
	}

	@Test
	void nonAdminsGet403ProblemJsonAndTheAttemptIsAudited() {
		Instant start = Instant.now().minusSeconds(1);
		Pipeline.Response response = this.pipeline.get("alice", "/api/admin/audit?user=bob");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/forbidden");
		assertThat(response.body().path("items").isMissingNode()).isTrue();
		// an upload-only device is stopped by the security filters before any handler (403, no body)
		assertThat(this.pipeline.get("modality", "/api/admin/audit?user=bob").status()).isEqualTo(403);
		assertThat(this.pipeline.get("admin", "/api/admin/audit?from=yesterday").status()).isEqualTo(400);

		JsonNode attempts = await().atMost(Duration.ofSeconds(5))
			.until(() -> audit("admin", "/api/admin/audit?user=alice&from=" + start),
					(page) -> page.path("total").asLong() >= 1);
		assertThat(attempts.path("items").get(0).path("resourceType").asString()).isEqualTo("audit");
		assertThat(attempts.path("items").get(0).path("outcome").asString()).isEqualTo("DENIED");
		assertThat(attempts.path("items").get(0).path("status").asInt()).isEqualTo(403);
		JsonNode device = audit("admin", "/api/admin/audit?user=modality&from=" + start);
		assertThat(device.path("items").valueStream().map((r) -> r.path("outcome").asString() + " "
				+ r.path("resourceType").asString())).contains("DENIED audit");
	}

	@Test
	void theTrailCannotBeRewrittenOrErased() {
		this.pipeline.get("alice", "/api/uploads/" + java.util.UUID.randomUUID());
		Long id = this.db.queryForObject("select max(id) from access_audit", Long.class);
		assertThat(id).isNotNull();

		assertThatThrownBy(() -> this.db.update("update access_audit set subject = 'mallory' where id = ?", id))
			.hasStackTraceContaining("append-only");
		assertThatThrownBy(() -> this.db.update("delete from access_audit where id = ?", id))
			.hasStackTraceContaining("append-only");
		assertThatThrownBy(() -> this.db.execute("truncate access_audit")).hasStackTraceContaining("append-only");
		assertThat(this.db.queryForObject("select subject from access_audit where id = ?", String.class, id))
			.isEqualTo("alice");
	}

	private JsonNode audit(String user, String path) {
		Pipeline.Response response = this.pipeline.get(user, path);
		assertThat(response.status()).as(path).isEqualTo(200);
		return response.body();
	}

}
