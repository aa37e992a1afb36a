package io.dicomflow.upload.status;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.FilesNotified;
import io.dicomflow.common.inbox.ConsumedEvents;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.OutboxRelay;
import io.dicomflow.upload.upload.UploadFiles;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Applies pipeline progress to {@code upload_file} rows. */
@Component
class FileStatusUpdater {

	static final String CONSUMER = "upload-status";

	private final UploadFiles files;

	private final ConsumedEvents consumed;

	private final EventDelivery delivery;

	private final TransactionTemplate tx;

	private final JdbcTemplate jdbc;

	FileStatusUpdater(UploadFiles files, ConsumedEvents consumed, EventDelivery delivery, TransactionTemplate tx,
			OutboxRelay relay, JdbcTemplate jdbc) {
		this.files = files;
		this.consumed = consumed;
		this.delivery = delivery;
		this.tx = tx;
		this.jdbc = jdbc;
		relay.addPublishListener(new OutboxRelay.PublishListener() {
			@Override
			public void published(UUID eventId) {
				queued(eventId);
			}

			@Override
			public void published(List<UUID> eventIds) {
				queued(eventIds);
			}
		});
	}

	/** The broker confirmed a file's {@code ImageUploaded}: the file waits in the analysis queue. */
	void queued(UUID eventId) {
		queued(List.of(eventId));
	}

	/**
	 * The files of a relayed batch of events, in one statement and transaction (per file, loading the entity
	 * and its transitions cost three round trips and a transaction each, on the relay's thread). The same rule
	 * as {@link io.dicomflow.upload.upload.UploadFile#advanceTo}: only a RECEIVED or STORED file becomes QUEUED,
	 * and an existing QUEUED transition is kept. Events other than ImageUploaded match no file.
	 */
	void queued(List<UUID> eventIds) {
		OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
		this.tx.executeWithoutResult((status) -> this.jdbc.update("""
				with moved as (
				  update upload_file set state = 'QUEUED', state_changed_at = ?
				  where event_id = any(?) and state in ('RECEIVED', 'STORED')
				  returning id)
				insert into upload_file_transition (file_id, state, at)
				select id, 'QUEUED', ? from moved
				on conflict do nothing""", (ps) -> {
			ps.setObject(1, now);
			ps.setArray(2, ps.getConnection().createArrayOf("uuid", eventIds.toArray()));
			ps.setObject(3, now);
		}));
	}

	@RabbitListener(queues = Topology.UPLOAD_STATUS)
	void onAnalysisOutcome(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::apply);
	}

	private void apply(EventEnvelope<? extends EventPayload> event) {
		this.tx.executeWithoutResult((status) -> {
			if (!this.consumed.claim(CONSUMER, event.eventId())) {
				return;
			}
			Instant at = event.occurredAt();
			if (event.payload() instanceof AnalysisCompleted done) {
				this.files.lockById(done.fileId()).ifPresent((file) -> file.completed(done.resultId(), at));
			}
			else if (event.payload() instanceof AnalysisFailed failed) {
				this.files.lockById(failed.fileId())
					.ifPresent((file) -> file.failed(failed.reasonCode(), failed.reason(), at));
			}
			else if (event.payload() instanceof FilesNotified notified) {
				// in id order, so that two transactions locking overlapping sets of files cannot deadlock
				for (UUID fileId : notified.fileIds().stream().sorted().toList()) {
					// notified() also covers a FilesNotified that overtook the file's outcome
					this.files.lockById(fileId).ifPresent((file) -> file.notified(at));
				}
			}
		});
	}

}
