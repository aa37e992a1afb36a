package io.dicomflow.worker.reanalysis;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.Outbox;
import io.dicomflow.common.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/admin/analysis/results/{id}/reanalysis} (admins only, see the security configuration):
 * queues the stored image of a result for analysis again, through the outbox like any upload, so that it is
 * picked up by whichever worker is free and announced as usual.
 */
@RestController
class ReanalysisController {

	private static final Logger log = LoggerFactory.getLogger(ReanalysisController.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final Outbox outbox;

	private final ObjectStore store;

	private final S3Client s3;

	private final JsonMapper json;

	ReanalysisController(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox, ObjectStore store, S3Client s3,
			JsonMapper json) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.outbox = outbox;
		this.store = store;
		this.s3 = s3;
		this.json = json;
	}

	@PostMapping("/api/admin/analysis/results/{id}/reanalysis")
	ResponseEntity<Map<String, Object>> reanalyse(@PathVariable String id) {
		StoredImage image = this.jdbc
			.query("select owner, upload_id, file_id, sop_instance_uid, sha256, raw_data::text, object_key "
					+ "from medical_image_result where element_id = ? and latest and sop_instance_uid is not null "
					+ "and object_key is not null",
					(rs, i) -> new StoredImage(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
							rs.getString(4), rs.getString(5), this.json.readTree(rs.getString(6)), rs.getString(7)),
					id)
			.stream()
			.findFirst()
			.orElseThrow(() -> notFound(id));
		// the key the image was analysed from, as recorded: keys depend on the owner and on when it was stored
		String key = image.objectKey();
		long size = this.s3.headObject((r) -> r.bucket(this.store.bucket()).key(key)).contentLength();
		ImageUploaded request = new ImageUploaded(image.uploadId(), image.fileId(), key, image.sha256(), size,
				image.sopInstanceUid(), image.raw().path("sopClassUid").asString(),
				image.raw().path("studyInstanceUid").asString(), image.raw().path("seriesInstanceUid").asString(),
				image.raw().path("transferSyntaxUid").asString());
		EventEnvelope<ImageUploaded> event = EventEnvelope.of(request, String.valueOf(image.uploadId()), image.owner(),
				Traceparent.newRoot());
		this.tx.executeWithoutResult(
				(status) -> this.outbox.append(event, Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED));
		log.info("Re-analysis of result {} (instance {}) queued as event {}", id, image.sopInstanceUid(),
				event.eventId());
		return ResponseEntity.accepted().body(Map.of("resultId", id, "eventId", event.eventId()));
	}

	private static ErrorResponseException notFound(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"no analysed image with result id " + id);
		problem.setType(URI.create("https://dicomflow.io/problems/not-found"));
		problem.setTitle("Not found");
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
	}

	private record StoredImage(String owner, UUID uploadId, UUID fileId, String sopInstanceUid, String sha256,
			JsonNode raw, String objectKey) {
	}

}
