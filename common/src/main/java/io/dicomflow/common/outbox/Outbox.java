package io.dicomflow.common.outbox;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records events to publish. Must be called inside the transaction that changes the state the event
 * announces: the event then exists if and only if the change was committed.
 */
public class Outbox {

	private final JdbcTemplate jdbc;

	private final EventCodec codec;

	private final JsonMapper json;

	private final OutboxRelay relay;

	public Outbox(JdbcTemplate jdbc, EventCodec codec, JsonMapper json, OutboxRelay relay) {
		this.jdbc = jdbc;
		this.codec = codec;
		this.json = json;
		this.relay = relay;
	}

	public void append(EventEnvelope<?> event, String exchange, String routingKey) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Outbox.append needs the caller's transaction");
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("type", event.type());
		headers.put("schemaVersion", event.schemaVersion());
		if (event.correlationId() != null) {
			headers.put("correlationId", event.correlationId());
		}
		if (event.traceparent() != null) {
			headers.put("traceparent", event.traceparent());
		}
		this.jdbc.update(
				"insert into outbox_event (id, exchange, routing_key, payload, headers, created_at, next_attempt_at) "
						+ "values (?, ?, ?, ?, ?::jsonb, ?, ?)",
				event.eventId(), exchange, routingKey, this.codec.encode(event), this.json.writeValueAsString(headers),
				Timestamp.from(event.occurredAt()), Timestamp.from(event.occurredAt()));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Outbox.this.relay.wakeUp();
			}
		});
	}

}
