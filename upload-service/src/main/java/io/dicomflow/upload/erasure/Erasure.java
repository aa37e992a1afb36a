package io.dicomflow.upload.erasure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.dicomflow.common.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases stored files with everything that refers to them: the S3 objects and quarantined copies, the file
 * rows with their transitions and DICOMweb index entries, analysis results (every version), instance claims,
 * the notifier's feed entries and upload summaries, published outbox events, idempotency and tus records that
 * name the upload. Consumed-event ids stay (they hold nothing but ids, and they keep consumers idempotent), and
 * so does the access audit trail (append-only, no patient values).
 *
 * <p><b>Only settled files are erased</b>: every file must be NOTIFIED — its analysis ended and its outcome
 * reached the notifier, which writes its own rows from those events. Erasing earlier would race the worker (a
 * result recorded after the rows are gone) and the notifier (feed entries re-created); such a request is
 * refused with 409 and can be repeated once the files are settled (seconds to the digest window).
 *
 * <p>Rows go first and objects last, in one transaction: if S3 refuses a delete the rows are rolled back and
 * a retry finds everything again (deleting a missing object is not an error).
 */
@Service
public class Erasure {

	private static final Logger log = LoggerFactory.getLogger(Erasure.class);

	private final JdbcTemplate jdbc;

	private final ObjectStore store;

	Erasure(JdbcTemplate jdbc, ObjectStore store) {
		this.jdbc = jdbc;
		this.store = store;
	}

	/** What an erasure request found. */
	public sealed interface Outcome {

		/** Erased: so many files and objects. */
		record Erased(int files, int objects) implements Outcome {
		}

		/** Nothing of the caller's under that id (or another owner's). */
		record Missing() implements Outcome {
		}

		/** Some files are not settled yet. */
		record NotSettled(int files) implements Outcome {
		}

	}

	/** Erases the upload {@code uploadId} if it is the caller's (or the caller is an admin). */
	@Transactional
	public Outcome eraseUpload(UUID uploadId, String caller, boolean admin) {
		List<String> owners = this.jdbc.queryForList("select owner from upload where id = ? for update", String.class,
				uploadId);
		if (owners.isEmpty() || (!admin && !owners.get(0).equals(caller))) {
			return new Outcome.Missing();
		}
		String owner = owners.get(0);
		List<StoredFile> files = this.jdbc.query(
				"select id, state, object_key from upload_file where upload_id = ? order by id for update",
				(rs, n) -> new StoredFile(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), uploadId);
		Outcome refused = refuseUnsettled(files);
		if (refused != null) {
			return refused;
		}
		return erase(owner, List.of(uploadId), files);
	}

	/** Erases the caller's instances of study {@code studyUid} (an admin: everyone's). */
	@Transactional
	public Outcome eraseStudy(String studyUid, String caller, boolean admin) {
		List<StoredFile> files = admin
				? this.jdbc.query("select id, state, object_key, upload_id, owner from upload_file "
						+ "where study_instance_uid = ? order by id for update", StoredFile.ROWS, studyUid)
				: this.jdbc.query("select id, state, object_key, upload_id, owner from upload_file "
						+ "where study_instance_uid = ? and owner = ? order by id for update", StoredFile.ROWS,
						studyUid, caller);
		if (files.isEmpty()) {
			return new Outcome.Missing();
		}
		Outcome refused = refuseUnsettled(files);
		if (refused != null) {
			return refused;
		}
		int erased = 0;
		int objects = 0;
		for (String owner : files.stream().map(StoredFile::owner).distinct().toList()) {
			List<StoredFile> own = files.stream().filter((f) -> f.owner().equals(owner)).toList();
			Set<UUID> uploads = new LinkedHashSet<>(own.stream().map(StoredFile::uploadId).toList());
			Outcome.Erased done = (Outcome.Erased) erase(owner, List.of(), own);
			erased += done.files();
			objects += done.objects();
			// an upload left without files goes too (with its declared and received lists)
			for (UUID upload : uploads) {
				Integer left = this.jdbc.queryForObject("select count(*) from upload_file where upload_id = ?",
						Integer.class, upload);
				if (left != null && left == 0) {
					objects += erase(owner, List.of(upload), List.of()) instanceof Outcome.Erased e ? e.objects() : 0;
				}
			}
		}
		return new Outcome.Erased(erased, objects);
	}

	/** The ids of uploads created before {@code cutoff} whose files are all settled, oldest first. */
	public List<UUID> settledUploadsBefore(java.time.Instant cutoff, int limit) {
		return this.jdbc.queryForList("select u.id from upload u where u.created_at < ? and not exists "
				+ "(select 1 from upload_file f where f.upload_id = u.id and f.state <> 'NOTIFIED') "
				+ "order by u.created_at limit ?", UUID.class, java.sql.Timestamp.from(cutoff), limit);
	}

	private static Outcome refuseUnsettled(List<StoredFile> files) {
		long unsettled = files.stream().filter((f) -> !"NOTIFIED".equals(f.state())).count();
		return (unsettled > 0) ? new Outcome.NotSettled((int) unsettled) : null;
	}

	private Outcome erase(String owner, List<UUID> uploadIds, List<StoredFile> files) {
		Set<String> keys = new LinkedHashSet<>();
		for (StoredFile file : files) {
			keys.add(file.objectKey());
			this.jdbc.update("delete from medical_image_result where file_id = ?", file.id());
			this.jdbc.update("delete from instance_claim where object_key = ? and owner = ?", file.objectKey(), owner);
			this.jdbc.update("delete from notification_upload_file where file_id = ?", file.id());
			deleteMentions(owner, file.id().toString());
			// cascades to its transitions and its DICOMweb index entry
			this.jdbc.update("delete from upload_file where id = ?", file.id());
		}
		for (UUID uploadId : uploadIds) {
			keys.addAll(this.jdbc.queryForList("select object_key from quarantined_file where upload_id = ?",
					String.class, uploadId));
			this.jdbc.update("delete from quarantined_file where upload_id = ?", uploadId);
			this.jdbc.update("delete from medical_image_result where upload_id = ?", uploadId);
			this.jdbc.update("delete from notification_upload where upload_id = ?", uploadId);
			// the once-only guard of an explicit session's summary email, which names the upload
			this.jdbc.update("delete from notification_email_log where send_key = ?", "upload-summary:" + uploadId);
			deleteMentions(owner, uploadId.toString());
			// cascades to upload_file, upload_declared_file, upload_session_received
			this.jdbc.update("delete from upload where id = ?", uploadId);
		}
		List<String> deleted = new ArrayList<>();
		for (String key : keys) {
			this.store.erase(key);
			deleted.add(key);
		}
		log.info("Erased {} files and {} uploads of owner hash {} ({} objects)", files.size(), uploadIds.size(),
				io.dicomflow.common.storage.ObjectKeys.ownerKey(owner), deleted.size());
		return new Outcome.Erased(files.size(), deleted.size());
	}

	/** Rows that name an upload or file id in their JSON: feed entries, outbox events, idempotency, tus. */
	private void deleteMentions(String owner, String id) {
		this.jdbc.update("delete from notification_feed where owner = ? and position(? in payload::text) > 0", owner,
				id);
		// only published events: an unpublished one is still owed to its consumers (who tolerate a missing file)
		this.jdbc.update("delete from outbox_event where published_at is not null "
				+ "and position(? in convert_from(payload, 'UTF8')) > 0", id);
		this.jdbc.update("delete from idempotency_record where owner = ? and position(? in response::text) > 0", owner,
				id);
		this.jdbc.update("delete from tus_upload where owner = ? and position(? in outcome::text) > 0", owner, id);
	}

	/** A stored file as erasure sees it. */
	record StoredFile(UUID id, String state, String objectKey, UUID uploadId, String owner) {

		static final org.springframework.jdbc.core.RowMapper<StoredFile> ROWS = (rs, n) -> new StoredFile(
				rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
				rs.getString(5));

		StoredFile(UUID id, String state, String objectKey) {
			this(id, state, objectKey, null, null);
		}

	}

}
