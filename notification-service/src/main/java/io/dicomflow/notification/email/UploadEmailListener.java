package io.dicomflow.notification.email;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.common.identity.UserDirectory;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.notification.NotificationProperties;
import io.dicomflow.notification.notified.NotifiedFiles;
import io.dicomflow.notification.preferences.NotificationPreferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tracks every upload's files until each is done or failed. Then an explicit upload session gets its own summary
 * email, and any other upload (one request: a portal POST, a STOW-RS request, a tus upload) joins its owner's open
 * digest, which {@link EmailDigests} sends when its window ends: a modality sending 2,000 single-file uploads
 * produces a handful of emails, not 2,000. Every event of an upload is handled in a transaction that locks the
 * upload's row, so two instances cannot both find the upload complete; an upload joins a digest once (its
 * {@code digest_id} is set in that transaction), and the send log's unique key ({@code upload-summary:<id>}),
 * written in that same transaction, keeps a redelivered event from sending a session's summary again. The only
 * way to send twice is a crash between the SMTP server accepting the mail and the commit.
 */
@Component
public class UploadEmailListener {

	private static final Logger log = LoggerFactory.getLogger(UploadEmailListener.class);

	private final SummaryMailer mailer;

	private final UserDirectory users;

	private final NotificationPreferences preferences;

	private final NotifiedFiles notified;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final EventDelivery delivery;

	private final NotificationProperties properties;

	UploadEmailListener(SummaryMailer mailer, UserDirectory users, NotificationPreferences preferences,
			NotifiedFiles notified, JdbcTemplate jdbc, TransactionTemplate tx, EventDelivery delivery,
			NotificationProperties properties) {
		this.mailer = mailer;
		this.users = users;
		this.preferences = preferences;
		this.notified = notified;
		this.jdbc = jdbc;
		this.tx = tx;
		this.delivery = delivery;
		this.properties = properties;
	}

	/** Listener id, for operators and tests that pause email handling. */
	public static final String LISTENER_ID = "upload-email";

	@RabbitListener(id = LISTENER_ID, queues = Topology.NOTIFICATIONS_EMAIL)
	void onEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::handle);
	}

	private void handle(EventEnvelope<? extends EventPayload> event) {
		this.tx.executeWithoutResult((status) -> {
			if (event.payload() instanceof UploadCompleted upload) {
				lockUpload(upload.uploadId(), event.owner());
				this.jdbc.update("update notification_upload set files_known = true, accepted_at = ?, "
						+ "explicit_session = ? where upload_id = ?", Timestamp.from(event.occurredAt()), upload.session(),
						upload.uploadId());
				for (UUID fileId : upload.fileIds()) {
					this.jdbc.update("insert into notification_upload_file (upload_id, file_id) values (?, ?) "
							+ "on conflict do nothing", upload.uploadId(), fileId);
				}
				settleWhenComplete(event, upload.uploadId());
			}
			else if (event.payload() instanceof AnalysisCompleted done) {
				lockUpload(done.uploadId(), event.owner());
				this.jdbc.update("insert into notification_upload_file (upload_id, file_id, outcome, sop_instance_uid, "
						+ "result_id, device_name, data_size, average_before, average_after) "
						+ "values (?, ?, 'DONE', ?, ?, ?, ?, ?, ?) on conflict (upload_id, file_id) do update set "
						+ "outcome = 'DONE', sop_instance_uid = excluded.sop_instance_uid, result_id = excluded.result_id, "
						+ "device_name = excluded.device_name, data_size = excluded.data_size, "
						+ "average_before = excluded.average_before, average_after = excluded.average_after, "
						+ "reason_code = null, reason = null", done.uploadId(), done.fileId(), done.sopInstanceUid(),
						done.resultId(), done.deviceName(), done.dataSize(), done.averageBeforeNormalization(),
						done.averageAfterNormalization());
				settleWhenComplete(event, done.uploadId());
			}
			else if (event.payload() instanceof AnalysisFailed failure) {
				lockUpload(failure.uploadId(), event.owner());
				// a result that arrived first (an operator re-queued a parked request) is not overwritten
				this.jdbc.update("insert into notification_upload_file (upload_id, file_id, outcome, sop_instance_uid, "
						+ "reason_code, reason) values (?, ?, 'FAILED', ?, ?, ?) on conflict (upload_id, file_id) do "
						+ "update set outcome = 'FAILED', sop_instance_uid = excluded.sop_instance_uid, "
						+ "reason_code = excluded.reason_code, reason = excluded.reason "
						+ "where notification_upload_file.outcome is distinct from 'DONE'", failure.uploadId(),
						failure.fileId(), failure.sopInstanceUid(), failure.reasonCode(), failure.reason());
				settleWhenComplete(event, failure.uploadId());
			}
		});
	}

	/** Creates the upload's row if needed and locks it until the transaction ends. */
	private void lockUpload(UUID uploadId, String owner) {
		this.jdbc.update("insert into notification_upload (upload_id, owner) values (?, ?) on conflict do nothing",
				uploadId, owner);
		this.jdbc.queryForObject("select upload_id from notification_upload where upload_id = ? for update", UUID.class,
				uploadId);
	}

	/**
	 * Once every file of the upload has an outcome: an explicit session is mailed its summary now, any other
	 * upload joins its owner's open digest (once: a redelivered event finds {@code digest_id} set).
	 */
	private void settleWhenComplete(EventEnvelope<? extends EventPayload> event, UUID uploadId) {
		Map<String, Object> upload = this.jdbc.queryForMap("select u.files_known, u.explicit_session, u.digest_id, "
				+ "(select count(*) from notification_upload_file f where f.upload_id = u.upload_id) as files, "
				+ "(select count(*) from notification_upload_file f where f.upload_id = u.upload_id "
				+ "and f.outcome is null) as pending, exists (select 1 from notification_email_log l "
				+ "where l.send_key = 'upload-summary:' || u.upload_id::text) as summarised "
				+ "from notification_upload u where u.upload_id = ?", uploadId);
		if (!Boolean.TRUE.equals(upload.get("files_known")) || ((Number) upload.get("files")).longValue() == 0
				|| ((Number) upload.get("pending")).longValue() > 0) {
			return;
		}
		if (Boolean.TRUE.equals(upload.get("explicit_session"))) {
			sendSummary(event, uploadId);
		}
		// an upload summarised before digests existed (its events redelivered after an upgrade) is not sent again
		else if (upload.get("digest_id") == null && !Boolean.TRUE.equals(upload.get("summarised"))) {
			UUID digest = openDigestOf(event.owner());
			this.jdbc.update("update notification_upload set digest_id = ?, traceparent = ? where upload_id = ?", digest,
					event.traceparent(), uploadId);
			log.debug("Upload {} joined digest {}", uploadId, digest);
		}
	}

	/**
	 * The owner's open digest, opened now if there is none, locked until the transaction ends so that
	 * {@link EmailDigests} cannot send it while this upload joins it. A digest that was sent while this waited for
	 * its lock no longer matches ({@code closed_at} is set), and a new one is opened.
	 */
	private UUID openDigestOf(String owner) {
		double window = this.properties.digestWindow().toNanos() / 1e9;
		while (true) {
			this.jdbc.update("insert into notification_digest (id, owner, due_at) values (?, ?, "
					+ "clock_timestamp() + make_interval(secs => ?)) on conflict (owner) where closed_at is null do nothing",
					UUID.randomUUID(), owner, window);
			List<UUID> open = this.jdbc.queryForList(
					"select id from notification_digest where owner = ? and closed_at is null for update", UUID.class,
					owner);
			if (!open.isEmpty()) {
				return open.get(0);
			}
		}
	}

	private void sendSummary(EventEnvelope<? extends EventPayload> event, UUID uploadId) {
		List<UploadSummary.FileOutcome> files = EmailDigests.files(this.jdbc, "f.upload_id = ?", uploadId);
		String key = "upload-summary:" + uploadId;
		if (this.jdbc.queryForObject("select count(*) from notification_email_log where send_key = ?", Integer.class,
				key) > 0) {
			return;
		}
		String owner = event.owner();
		if (!this.preferences.emailEnabled(owner)) {
			logSend(key, "", "OPTED_OUT");
			log.info("Upload {} complete; its owner opted out of emails", uploadId);
			return;
		}
		Optional<String> recipient = this.users.email(owner);
		if (recipient.isEmpty()) {
			logSend(key, "", "NO_ADDRESS");
			log.info("Upload {} complete; no email address for its owner", uploadId);
			return;
		}
		UploadSummary summary = new UploadSummary(uploadId, files);
		logSend(key, recipient.get(), "SENT");
		this.mailer.send(recipient.get(), SummaryMail.of(summary, this.properties.portalUrl()));
		this.notified.emailed(event, uploadId, files.stream().map(UploadSummary.FileOutcome::fileId).toList());
		log.info("Emailed the summary of upload {} ({} files) to its owner", uploadId, files.size());
	}

	private void logSend(String key, String recipient, String outcome) {
		this.jdbc.update("insert into notification_email_log (send_key, recipient, outcome) values (?, ?, ?)", key,
				recipient, outcome);
	}

}
