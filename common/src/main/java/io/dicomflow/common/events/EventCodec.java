package io.dicomflow.common.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of {@link EventEnvelope}s. The payload class is chosen by the envelope's {@code type}; an unknown
 * type or a newer schema version than this code knows is refused rather than half-read.
 */
public final class EventCodec {

	private static final Map<String, Class<? extends EventPayload>> PAYLOADS = Map.of(ImageUploaded.TYPE,
			ImageUploaded.class, UploadCompleted.TYPE, UploadCompleted.class, AnalysisCompleted.TYPE,
			AnalysisCompleted.class, AnalysisFailed.TYPE, AnalysisFailed.class, FilesNotified.TYPE, FilesNotified.class);

	/** The newest schema version of each type this code reads. */
	private static final Map<String, Integer> KNOWN_VERSIONS = Map.of(ImageUploaded.TYPE, 1, UploadCompleted.TYPE, 1,
			AnalysisCompleted.TYPE, 1, AnalysisFailed.TYPE, 1, FilesNotified.TYPE, 1);

	private final JsonMapper json;

	public EventCodec(JsonMapper json) {
		this.json = json;
	}

	public EventCodec() {
		this(JsonMapper.builder().build());
	}

	public byte[] encode(EventEnvelope<?> event) {
		return this.json.writeValueAsBytes(event);
	}

	public EventEnvelope<? extends EventPayload> decode(byte[] body) {
		JsonNode node = this.json.readTree(body);
		String type = text(node, "type");
		Class<? extends EventPayload> payloadType = PAYLOADS.get(type);
		if (payloadType == null) {
			throw new UnreadableEventException("unknown event type '" + type + "'");
		}
		int version = node.path("schemaVersion").asInt(0);
		if (version < 1 || version > KNOWN_VERSIONS.get(type)) {
			throw new UnreadableEventException("unsupported schemaVersion " + version + " of " + type);
		}
		if (!node.path("payload").isObject()) {
			throw new UnreadableEventException("missing 'payload'");
		}
		EventPayload payload = this.json.treeToValue(node.get("payload"), payloadType);
		return new EventEnvelope<>(UUID.fromString(text(node, "eventId")), type, version,
				this.json.treeToValue(node.get("occurredAt"), Instant.class), optionalText(node, "correlationId"),
				optionalText(node, "traceparent"), text(node, "owner"), payload);
	}

	private static String optionalText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new UnreadableEventException("missing '" + field + "'");
		}
		return value.asString();
	}

	/** The bytes are not an event this code can read; retrying will not help. */
	public static final class UnreadableEventException extends RuntimeException {

		public UnreadableEventException(String message) {
			super(message);
		}

	}

}
