package io.dicomflow.common.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What travels over the broker: routing facts every consumer needs plus one typed payload.
 *
 * @param eventId unique id; consumers are idempotent on it
 * @param type the payload's wire type
 * @param schemaVersion the payload's schema version
 * @param occurredAt when the fact happened
 * @param correlationId the upload id the event belongs to
 * @param traceparent W3C trace context of the request that caused it
 * @param owner user id of the uploader
 * @param payload the typed body
 * @param <P> payload type
 */
public record EventEnvelope<P extends EventPayload>(UUID eventId, String type, int schemaVersion,
		Instant occurredAt, String correlationId, String traceparent, String owner, P payload) {

	public EventEnvelope {
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(owner, "owner");
	}

	/** A new event with a fresh id, stamped now. */
	public static <P extends EventPayload> EventEnvelope<P> of(P payload, String correlationId, String owner,
			String traceparent) {
		return new EventEnvelope<>(UUID.randomUUID(), payload.eventType(), payload.schemaVersion(), Instant.now(),
				correlationId, traceparent, owner, payload);
	}

}
