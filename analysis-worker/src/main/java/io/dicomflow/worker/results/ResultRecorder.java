package io.dicomflow.worker.results;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.analysis.PixelStatistics;
import io.dicomflow.common.analysis.Thumbnail;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.inbox.ConsumedEvents;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.Outbox;
import io.dicomflow.worker.analysis.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Writes results and their events; each method is one transaction that also claims the request event. */
@Component
public class ResultRecorder {

	static final String CONSUMER = "analysis-worker";

	/**
	 * Claims of announced failures are separate from claims of results: a parked request an operator re-queues
	 * can still succeed, while a redelivered failure is never announced twice.
	 */
	static final String FAILURE_CONSUMER = "analysis-worker.failed";

	/**
	 * A thumbnail (longest side 256, 8-bit) is a few KiB; one larger than this is not kept (the result is), so a
	 * pathological image cannot fill the database through its preview. The table's check constraint repeats it.
	 */
	static final int MAX_THUMBNAIL_BYTES = 256 * 1024;

	private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final ConsumedEvents consumed;

	private final Outbox outbox;

	private final JsonMapper json;

	private final String analyzerVersion;

	ResultRecorder(JdbcTemplate jdbc, TransactionTemplate tx, ConsumedEvents consumed, Outbox outbox, JsonMapper json,
			WorkerProperties properties) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.consumed = consumed;
		this.outbox = outbox;
		this.json = json;
		this.analyzerVersion = properties.analyzerVersion();
	}

	/** Whether this worker already acted on the event (a redelivery). */
	public boolean alreadyHandled(UUID eventId) {
		Integer n = this.jdbc.queryForObject(
				"select count(*) from consumed_event where consumer = ? and event_id = ?", Integer.class, CONSUMER,
				eventId);
		return n != null && n > 0;
	}

	/** The result already stored for the same owner, instance, content and analyser version, if any. */
	public Optional<StoredResult> existing(String owner, ImageUploaded image) {
		return this.jdbc
			.query("select id, device_name, data_size, average_before_normalization, average_after_normalization "
					+ "from medical_image_result where owner = ? and sop_instance_uid = ? and sha256 = ? "
					+ "and analyzer_version = ?",
					(rs, i) -> new StoredResult(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
							rs.getDouble(5)),
					owner, image.sopInstanceUid(), image.sha256(), this.analyzerVersion)
			.stream()
			.findFirst();
	}

	/** Stores the analysis (or reuses an identical one) and announces it. */
	public void completed(EventEnvelope<ImageUploaded> request, ImageAnalysis analysis) {
		ImageUploaded image = request.payload();
		PixelStatistics stored = analysis.stored();
		String deviceName = deviceName(analysis.header());
		this.tx.executeWithoutResult((status) -> {
			if (!this.consumed.claim(CONSUMER, request.eventId())) {
				return;
			}
			String id = UUID.randomUUID().toString();
			int inserted = this.jdbc.update("insert into medical_image_result (id, owner, device_name, "
					+ "average_before_normalization, average_after_normalization, data_size, raw_data, upload_id, "
					+ "file_id, sop_instance_uid, sha256, analyzer_version, min_value, max_value, std_value, object_key) "
					+ "values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", id,
					request.owner(), deviceName, stored.mean(), stored.averageAfterNormalization(), stored.count(),
					this.json.writeValueAsString(rawData(image, analysis)), image.uploadId(), image.fileId(),
					image.sopInstanceUid(), image.sha256(), this.analyzerVersion, stored.min(), stored.max(),
					stored.std(), image.objectKey());
			if (inserted == 1) {
				analysis.thumbnail().ifPresent((thumbnail) -> storeThumbnail(id, image, thumbnail));
			}
			StoredResult result = (inserted == 1)
					? new StoredResult(id, deviceName, stored.count(), stored.mean(), stored.averageAfterNormalization())
					: existing(request.owner(), image).orElseThrow();
			announce(request, result);
		});
	}

	/** Keeps the thumbnail with its result row (deleted with it: ON DELETE CASCADE), unless it is too large. */
	private void storeThumbnail(String resultId, ImageUploaded image, Thumbnail thumbnail) {
		byte[] png = thumbnail.png();
		if (png.length == 0 || png.length > MAX_THUMBNAIL_BYTES) {
			log.warn("thumbnail of {} not stored: {} bytes (limit {})", image.sopInstanceUid(), png.length,
					MAX_THUMBNAIL_BYTES);
			return;
		}
		this.jdbc.update("insert into medical_image_result_thumbnail (result_id, width, height, png) values (?, ?, ?, ?)",
				resultId, thumbnail.width(), thumbnail.height(), png);
	}

	/** Reuses a result stored earlier for identical content and announces it for this file. */
	public void reused(EventEnvelope<ImageUploaded> request, StoredResult result) {
		this.tx.executeWithoutResult((status) -> {
			if (this.consumed.claim(CONSUMER, request.eventId())) {
				announce(request, result);
			}
		});
	}

	/** Announces that the image cannot be analysed. */
	public void failed(EventEnvelope<ImageUploaded> request, String code, String reason) {
		ImageUploaded image = request.payload();
		this.tx.executeWithoutResult((status) -> {
			if (this.consumed.claim(FAILURE_CONSUMER, request.eventId())) {
				this.outbox.append(
						EventEnvelope.of(new AnalysisFailed(image.uploadId(), image.fileId(), image.sopInstanceUid(), code,
								reason), request.correlationId(), request.owner(), Traceparent.childOf(request.traceparent())),
						Topology.ANALYSIS_EXCHANGE, Topology.ANALYSIS_FAILED);
			}
		});
	}

	private void announce(EventEnvelope<ImageUploaded> request, StoredResult result) {
		ImageUploaded image = request.payload();
		AnalysisCompleted completed = new AnalysisCompleted(image.uploadId(), image.fileId(), result.id(),
				image.sopInstanceUid(), result.deviceName(), result.dataSize(), result.averageBeforeNormalization(),
				result.averageAfterNormalization());
		this.outbox.append(EventEnvelope.of(completed, request.correlationId(), request.owner(),
				Traceparent.childOf(request.traceparent())), Topology.ANALYSIS_EXCHANGE, Topology.ANALYSIS_COMPLETED);
	}

	/** Manufacturer, model and station name, as far as the header has them. */
	static String deviceName(DicomHeader header) {
		return java.util.stream.Stream.of("Manufacturer", "ManufacturerModelName", "StationName")
			.map(header::string)
			.flatMap(Optional::stream)
			.map(String::strip)
			.filter((s) -> !s.isEmpty())
			.reduce((a, b) -> a + " " + b)
			.orElse("");
	}

	private static Map<String, Object> rawData(ImageUploaded image, ImageAnalysis analysis) {
		Map<String, Object> raw = new LinkedHashMap<>();
		raw.put("sopInstanceUid", image.sopInstanceUid());
		raw.put("sopClassUid", image.sopClassUid());
		raw.put("studyInstanceUid", image.studyInstanceUid());
		raw.put("seriesInstanceUid", image.seriesInstanceUid());
		raw.put("transferSyntaxUid", image.transferSyntaxUid());
		raw.put("sha256", image.sha256());
		for (String keyword : new String[] { "Modality", "Rows", "Columns", "NumberOfFrames", "BitsAllocated",
				"BitsStored", "PixelRepresentation", "PhotometricInterpretation", "SamplesPerPixel" }) {
			analysis.header().string(keyword).ifPresent((v) -> raw.put(keyword, v));
		}
		raw.put("stored", analysis.stored());
		analysis.rescaled().ifPresent((r) -> raw.put("rescaled", r));
		return raw;
	}

	/**
	 * The figures an {@code AnalysisCompleted} carries.
	 *
	 * @param id result id
	 * @param deviceName device name
	 * @param dataSize number of values
	 * @param averageBeforeNormalization mean
	 * @param averageAfterNormalization mean of value / max
	 */
	public record StoredResult(String id, String deviceName, long dataSize, double averageBeforeNormalization,
			double averageAfterNormalization) {
	}

}
