package io.dicomflow.notification.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.identity.UserDirectory;
import io.dicomflow.notification.NotificationProperties;
import io.dicomflow.notification.notified.NotifiedFiles;
import io.dicomflow.notification.preferences.NotificationPreferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends each user's digest once its window has ended: one email listing every upload that joined it. Every
 * instance polls; a due digest is taken with {@code for update skip locked} and stays locked while it is mailed
 * and closed, so exactly one instance sends it, and an upload joining meanwhile waits and then opens the next
 * digest. The send log's unique key {@code digest:<id>} is written in the same transaction. Nothing is held in
 * memory: a digest whose instance stopped mid-window is sent by whichever instance polls next.
 */
@Component
public class EmailDigests implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EmailDigests.class);

	private final SummaryMailer mailer;

	private final UserDirectory users;

	private final NotificationPreferences preferences;

	private final NotifiedFiles notified;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final NotificationProperties properties;

	private volatile Thread poller;

	EmailDigests(SummaryMailer mailer, UserDirectory users, NotificationPreferences preferences,
			NotifiedFiles notified, JdbcTemplate jdbc, TransactionTemplate tx, NotificationProperties properties) {
		this.mailer = mailer;
		this.users = users;
		this.preferences = preferences;
		this.notified = notified;
		this.jdbc = jdbc;
		this.tx = tx;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		if (this.poller == null) {
			Thread thread = new Thread(this::poll, "email-digests");
			thread.setDaemon(true);
			this.poller = thread;
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		Thread running = this.poller;
		this.poller = null;
		if (running != null) {
			running.interrupt();
			try {
				running.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

	private void poll() {
		long pause = this.properties.digestPollInterval().toMillis();
		while (this.poller == Thread.currentThread()) {
			try {
				Thread.sleep(pause);
				while (this.poller == Thread.currentThread() && sendOneDue()) {
					// drain every due digest before pausing
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// SMTP or database down: the digest stays open and due, and is tried again after a pause
				log.warn("Sending a due digest failed, will retry: {}", ex.toString());
				try {
					Thread.sleep(Math.max(pause, 5_000));
				}
				catch (InterruptedException stop) {
					return;
				}
			}
		}
	}

	/** Sends (or settles, for an opted-out owner) one due digest; false when none is due. Safe to call from any
	 * number of threads and instances at once. */
	public boolean sendOneDue() {
		return Boolean.TRUE.equals(this.tx.execute((status) -> {
			List<Map<String, Object>> due = this.jdbc.queryForList("select id, owner from notification_digest "
					+ "where closed_at is null and due_at <= clock_timestamp() order by due_at limit 1 "
					+ "for update skip locked");
			if (due.isEmpty()) {
				return false;
			}
			UUID id = (UUID) due.get(0).get("id");
			String owner = (String) due.get(0).get("owner");
			settle(id, owner);
			this.jdbc.update("update notification_digest set closed_at = now() where id = ?", id);
			return true;
		}));
	}

	private void settle(UUID digest, String owner) {
		String key = "digest:" + digest;
		if (this.jdbc.queryForObject("select count(*) from notification_email_log where send_key = ?", Integer.class,
				key) > 0) {
			return;
		}
		if (!this.preferences.emailEnabled(owner)) {
			logSend(key, "", "OPTED_OUT");
			log.info("Digest {} due; its owner opted out of emails", digest);
			return;
		}
		Optional<String> recipient = this.users.email(owner);
		if (recipient.isEmpty()) {
			logSend(key, "", "NO_ADDRESS");
			log.info("Digest {} due; no email address for its owner", digest);
			return;
		}
		Map<UUID, List<UploadSummary.FileOutcome>> byUpload = new LinkedHashMap<>();
		for (UploadSummary.FileOutcome file : files(this.jdbc, "u.digest_id = ?", digest)) {
			byUpload.computeIfAbsent(file.uploadId(), (k) -> new ArrayList<>()).add(file);
		}
		if (byUpload.isEmpty()) {
			return;
		}
		List<UploadSummary> uploads = byUpload.entrySet()
			.stream()
			.map((e) -> new UploadSummary(e.getKey(), e.getValue()))
			.toList();
		logSend(key, recipient.get(), "SENT");
		this.mailer.send(recipient.get(), SummaryMail.digest(uploads, this.properties.portalUrl()));
		Map<UUID, String> traceparents = new LinkedHashMap<>();
		this.jdbc.query("select upload_id, traceparent from notification_upload where digest_id = ?",
				(rs) -> {
					traceparents.put(rs.getObject(1, UUID.class), rs.getString(2));
				}, digest);
		for (UploadSummary upload : uploads) {
			this.notified.emailed(owner, upload.uploadId(), traceparents.get(upload.uploadId()),
					upload.files().stream().map(UploadSummary.FileOutcome::fileId).toList());
		}
		log.info("Emailed digest {} ({} uploads) to its owner", digest, uploads.size());
	}

	private void logSend(String key, String recipient, String outcome) {
		this.jdbc.update("insert into notification_email_log (send_key, recipient, outcome) values (?, ?, ?)", key,
				recipient, outcome);
	}

	/** The files of the uploads matching {@code where} (on {@code u}, the upload, or {@code f}, the file). */
	static List<UploadSummary.FileOutcome> files(JdbcTemplate jdbc, String where, Object arg) {
		return jdbc.query("select f.upload_id, f.file_id, f.outcome, f.sop_instance_uid, f.result_id, f.device_name, "
				+ "f.data_size, f.average_before, f.average_after, f.reason_code, f.reason "
				+ "from notification_upload_file f join notification_upload u on u.upload_id = f.upload_id where "
				+ where + " order by u.accepted_at, f.upload_id, f.sop_instance_uid, f.file_id",
				(rs, i) -> new UploadSummary.FileOutcome(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
						rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), (Long) rs.getObject(7),
						(Double) rs.getObject(8), (Double) rs.getObject(9), rs.getString(10), rs.getString(11)),
				arg);
	}

}
