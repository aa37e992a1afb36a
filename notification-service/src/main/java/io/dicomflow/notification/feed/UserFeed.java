package io.dicomflow.notification.feed;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.UploadCompleted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each user's feed of events with a gap-free, increasing sequence. Adding is idempotent on the event id and
 * may be done by any instance (the durable feed queue's consumer and every instance's push path): the first
 * one numbers the event, the others read its number.
 */
@Component
public class UserFeed {

	private static final RowMapper<FeedEntry> ENTRY = (rs, i) -> new FeedEntry(rs.getLong("seq"),
			rs.getObject("event_id", UUID.class), rs.getString("type"), rs.getTimestamp("occurred_at").toInstant(),
			rs.getString("correlation_id"), JsonMapper.builder().build().readTree(rs.getString("payload")));

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final JsonMapper json;

	private final Timer lag;

	UserFeed(JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.json = json;
		this.lag = Timer.builder("dicomflow.notifications.feed.lag")
			.description("from an event's occurrence to its place in the owner's feed")
			.publishPercentileHistogram()
			.register(meters);
	}

	/** Whether the event belongs in a user's feed: analysis outcomes and upload state changes. */
	public static boolean isFeedEvent(EventPayload payload) {
		return payload instanceof AnalysisCompleted || payload instanceof AnalysisFailed
				|| payload instanceof UploadCompleted;
	}

	/** Adds the event to its owner's feed, or finds it there. */
	public FeedEntry append(EventEnvelope<? extends EventPayload> event) {
		FeedEntry entry = this.tx.execute((status) -> {
			Optional<FeedEntry> existing = byEvent(event.eventId());
			if (existing.isPresent()) {
				return existing.get();
			}
			this.jdbc.update("insert into notification_feed_head (owner, last_seq) values (?, 0) on conflict do nothing",
					event.owner());
			// the row lock makes concurrent appends for one user take their numbers one after the other
			long last = this.jdbc.queryForObject(
					"select last_seq from notification_feed_head where owner = ? for update", Long.class, event.owner());
			existing = byEvent(event.eventId());
			if (existing.isPresent()) {
				return existing.get();
			}
			long seq = last + 1;
			this.jdbc.update("update notification_feed_head set last_seq = ? where owner = ?", seq, event.owner());
			this.jdbc.update("insert into notification_feed (owner, seq, event_id, type, correlation_id, payload, "
					+ "occurred_at) values (?, ?, ?, ?, ?, ?::jsonb, ?)", event.owner(), seq, event.eventId(),
					event.type(), event.correlationId(), this.json.writeValueAsString(event.payload()),
					Timestamp.from(event.occurredAt()));
			this.lag.record(Duration.between(event.occurredAt(), Instant.now()));
			return new FeedEntry(seq, event.eventId(), event.type(), event.occurredAt(), event.correlationId(),
					this.json.valueToTree(event.payload()));
		});
		return entry;
	}

	/** Up to {@code limit} entries of {@code owner} after {@code seq}, in order. */
	public List<FeedEntry> after(String owner, long seq, int limit) {
		return this.jdbc.query("select seq, event_id, type, occurred_at, correlation_id, payload::text as payload "
				+ "from notification_feed where owner = ? and seq > ? order by seq limit ?", ENTRY, owner, seq, limit);
	}

	/** Entries of {@code owner} with {@code from < seq <= to}, in order. */
	public List<FeedEntry> between(String owner, long from, long to) {
		return this.jdbc.query("select seq, event_id, type, occurred_at, correlation_id, payload::text as payload "
				+ "from notification_feed where owner = ? and seq > ? and seq <= ? order by seq", ENTRY, owner, from,
				to);
	}

	/** The last sequence number of {@code owner}'s feed; 0 for an empty feed. */
	public long head(String owner) {
		List<Long> last = this.jdbc.queryForList("select last_seq from notification_feed_head where owner = ?",
				Long.class, owner);
		return last.isEmpty() ? 0 : last.get(0);
	}

	private Optional<FeedEntry> byEvent(UUID eventId) {
		return this.jdbc
			.query("select seq, event_id, type, occurred_at, correlation_id, payload::text as payload "
					+ "from notification_feed where event_id = ?", ENTRY, eventId)
			.stream()
			.findFirst();
	}

}
