package io.dicomflow.notification.feed;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

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
}
