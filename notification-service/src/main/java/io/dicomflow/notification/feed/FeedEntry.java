package io.dicomflow.notification.feed;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event in a user's feed, as pushed over STOMP and returned by {@code GET /api/events}.
 *
 * @param seq position in the user's feed: 1, 2, 3, ... without gaps
 * @param eventId the event's id
 * @param type the event type, e.g. {@code AnalysisCompleted}
 * @param occurredAt when it happened
 * @param correlationId the upload it belongs to
 * @param payload the event's payload (ids, UIDs and figures; no patient data)
 */
public record FeedEntry(long seq, UUID eventId, String type, Instant occurredAt, String correlationId,
		JsonNode payload) {

	/**
	 * The payload fields a reader without access to results (role {@code uploader}) is shown, per event type:
	 * the same as the REST API shows it of an upload (states, ids, UIDs, the failure reason; never the result
	 * id or figures). A list of what to keep rather than of what to drop, so a field added to an event later is
	 * hidden from uploaders until someone decides otherwise.
	 */
	private static final Map<String, List<String>> STATE_FIELDS = Map.of("AnalysisCompleted",
			List.of("uploadId", "fileId", "sopInstanceUid"), "AnalysisFailed",
			List.of("uploadId", "fileId", "sopInstanceUid", "reasonCode", "reason"), "UploadCompleted",
			List.of("uploadId", "fileIds"));

	private static final List<String> UNKNOWN_TYPE_FIELDS = List.of("uploadId", "fileId");

	/** This entry as a reader who may see states but not analysis results gets it. */
	public FeedEntry withoutResults() {
		ObjectNode states = JsonNodeFactory.instance.objectNode();
		for (String field : STATE_FIELDS.getOrDefault(this.type, UNKNOWN_TYPE_FIELDS)) {
			JsonNode value = this.payload.get(field);
			if (value != null) {
				states.set(field, value);
			}
		}
		return new FeedEntry(this.seq, this.eventId, this.type, this.occurredAt, this.correlationId, states);
	}

	/** This entry for a reader: as is if it may read results, otherwise {@link #withoutResults()}. */
	public FeedEntry forReader(boolean seesResults) {
		return seesResults ? this : withoutResults();
	}

}
