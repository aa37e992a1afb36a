package io.dicomflow.notification.email;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One summary email per upload, once every file of it is done or failed (a 500-file upload sends one email).
 * Every event of an upload is handled in a transaction that locks the upload's row, so two instances cannot
 * both find the upload complete; the send log's unique key ({@code upload-summary:<id>}), written in that same
 * transaction, keeps a redelivered event from sending again. The only way to send twice is a crash between
 * the SMTP server accepting the mail and the commit.
 */
@Component
class UploadEmailListener {

	private static final Logger log = LoggerFactory.getLogger(UploadEmailListener.class);

	private final JavaMailSender mail;

	private final UserDirectory users;

	private final NotificationPreferences preferences;

	private final NotifiedFiles notified;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final EventDelivery delivery;

	private final NotificationProperties properties;

	private final RetryTemplate smtpRetry;

	private final Counter sent;

	private final Counter failed;

	UploadEmailListener(JavaMailSender mail, UserDirectory users, NotificationPreferences preferences,
			NotifiedFiles notified, JdbcTemplate jdbc, TransactionTemplate tx, EventDelivery delivery,
			NotificationProperties properties, MeterRegistry meters) {
		this.mail = mail;
		this.users = users;
		this.preferences = preferences;
		this.notified = notified;
		this.jdbc = jdbc;
		this.tx = tx;
		this.delivery = delivery;
		this.properties = properties;
		// a short SMTP hiccup is bridged here; a longer outage fails the event, which the broker redelivers
		this.smtpRetry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(properties.smtpRetries())
			.delay(properties.smtpInitialBackoff())
			.multiplier(2)
			.maxDelay(Duration.ofSeconds(30))
			.includes(MailException.class)
			.build());
		this.sent = Counter.builder("dicomflow.notifications.emails.sent").register(meters);
		this.failed = Counter.builder("dicomflow.notifications.emails.failed").register(meters);
	}

	@RabbitListener(queues = Topology.NOTIFICATIONS_EMAIL)
	void onEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::handle);
	}

	private void handle(EventEnvelope<? extends EventPayload> event) {
		this.tx.executeWithoutResult((status) -> {
			if (event.payload() instanceof UploadCompleted upload) {
				lockUpload(upload.uploadId(), event.owner());
				this.jdbc.update("update notification_upload set files_known = true, accepted_at = ? where upload_id = ?",
						Timestamp.from(event.occurredAt()), upload.uploadId());
				for (UUID fileId : upload.fileIds()) {
					this.jdbc.update("insert into notification_upload_file (upload_id, file_id) values (?, ?) "
							+ "on conflict do nothing", upload.uploadId(), fileId);
				}
				sendWhenComplete(event, upload.uploadId());
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
				sendWhenComplete(event, done.uploadId());
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
				sendWhenComplete(event, failure.uploadId());
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

	private void sendWhenComplete(EventEnvelope<? extends EventPayload> event, UUID uploadId) {
		Boolean known = this.jdbc.queryForObject("select files_known from notification_upload where upload_id = ?",
				Boolean.class, uploadId);
		List<UploadSummary.FileOutcome> files = this.jdbc.query(
				"select file_id, outcome, sop_instance_uid, result_id, device_name, data_size, average_before, "
						+ "average_after, reason_code, reason from notification_upload_file where upload_id = ? "
						+ "order by sop_instance_uid, file_id",
				(rs, i) -> new UploadSummary.FileOutcome(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
						rs.getString(4), rs.getString(5), (Long) rs.getObject(6), (Double) rs.getObject(7),
						(Double) rs.getObject(8), rs.getString(9), rs.getString(10)),
				uploadId);
		if (!Boolean.TRUE.equals(known) || files.isEmpty() || files.stream().anyMatch((f) -> f.outcome() == null)) {
			return;
		}
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
		send(recipient.get(), SummaryMail.of(summary, this.properties.portalUrl()));
		logSend(key, recipient.get(), "SENT");
		this.notified.emailed(event, uploadId, files.stream().map(UploadSummary.FileOutcome::fileId).toList());
		this.sent.increment();
		log.info("Emailed the summary of upload {} ({} files) to its owner", uploadId, files.size());
	}

	private void send(String recipient, SummaryMail content) {
		try {
			this.smtpRetry.execute(() -> {
				MimeMessage message = this.mail.createMimeMessage();
				MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
				helper.setFrom(this.properties.mailFrom());
				helper.setTo(recipient);
				helper.setSubject(content.subject());
				helper.setText(content.text(), content.html());
				this.mail.send(message);
				return null;
			});
		}
		catch (RetryException ex) {
			this.failed.increment();
			throw new IllegalStateException("SMTP failed after retries: " + ex.getCause(), ex);
		}
	}

	private void logSend(String key, String recipient, String outcome) {
		this.jdbc.update("insert into notification_email_log (send_key, recipient, outcome) values (?, ?, ?)", key,
				recipient, outcome);
	}

}
