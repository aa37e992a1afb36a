package io.dicomflow.notification.notified;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.FilesNotified;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Announces that files' outcomes reached their owner ({@code FilesNotified}, through the outbox), which moves
 * them to {@code NOTIFIED} in the upload service, and measures the end-to-end latency from the upload's
 * acceptance to that moment.
 */
@Component
public class NotifiedFiles {

	private final Outbox outbox;

	private final TransactionTemplate tx;

	private final JdbcTemplate jdbc;

	private final MeterRegistry meters;

	NotifiedFiles(Outbox outbox, TransactionTemplate tx, JdbcTemplate jdbc, MeterRegistry meters) {
		this.outbox = outbox;
		this.tx = tx;
		this.jdbc = jdbc;
		this.meters = meters;
	}

	/** The outcome event of one file was pushed to at least one open session. */
	public void pushed(EventEnvelope<? extends EventPayload> event, UUID uploadId, UUID fileId) {
		announce(event, uploadId, List.of(fileId), "push");
	}

	/**
	 * The summary email of an upload was sent; call inside the transaction that records the send.
	 */
	public void emailed(EventEnvelope<? extends EventPayload> event, UUID uploadId, List<UUID> fileIds) {
		this.outbox.append(envelope(event, uploadId, fileIds, "email"), Topology.NOTIFICATIONS_EXCHANGE,
				Topology.FILES_NOTIFIED);
		record(uploadId, "email");
	}

	/**
	 * An upload's files were listed in a digest email that was sent; call inside the transaction that records
	 * the send. {@code traceparent} is that of the event that completed the upload, so the trace continues.
	 */
	public void emailed(String owner, UUID uploadId, String traceparent, List<UUID> fileIds) {
		this.outbox.append(EventEnvelope.of(new FilesNotified(uploadId, fileIds, "email"), uploadId.toString(), owner,
				Traceparent.childOf(traceparent)), Topology.NOTIFICATIONS_EXCHANGE, Topology.FILES_NOTIFIED);
		record(uploadId, "email");
	}

	private void announce(EventEnvelope<? extends EventPayload> event, UUID uploadId, List<UUID> fileIds,
			String channel) {
		this.tx.executeWithoutResult((status) -> this.outbox.append(envelope(event, uploadId, fileIds, channel),
				Topology.NOTIFICATIONS_EXCHANGE, Topology.FILES_NOTIFIED));
		record(uploadId, channel);
	}

	private static EventEnvelope<FilesNotified> envelope(EventEnvelope<? extends EventPayload> cause, UUID uploadId,
			List<UUID> fileIds, String channel) {
		return EventEnvelope.of(new FilesNotified(uploadId, fileIds, channel), cause.correlationId(), cause.owner(),
				Traceparent.childOf(cause.traceparent()));
	}

	/** Upload accepted → owner told, when the notifier has seen the upload's acceptance time. */
	private void record(UUID uploadId, String channel) {
		List<java.sql.Timestamp> accepted = this.jdbc.queryForList(
				"select accepted_at from notification_upload where upload_id = ? and accepted_at is not null",
				java.sql.Timestamp.class, uploadId);
		if (!accepted.isEmpty()) {
			Timer.builder("dicomflow.notifications.end_to_end")
				.description("from upload accepted to the owner notified")
				.tag("channel", channel)
				.publishPercentiles(0.5, 0.9, 0.99)
				.publishPercentileHistogram()
				.register(this.meters)
				.record(Duration.between(accepted.get(0).toInstant(), Instant.now()));
		}
	}

}
