package io.dicomflow.upload.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.upload.validation.Rejection;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Files that failed a content rule under the {@code quarantine} policy. They go under their own key prefix,
 * {@code {tenant}/quarantine/{id}} (an id of ours: the file's own UIDs may be what failed), get a row here, and
 * never an {@code ImageUploaded} event, so nothing analyses them.
 */
@Service
public class Quarantine {

	private final ObjectStore store;

	private final JdbcTemplate jdbc;

	public Quarantine(ObjectStore store, JdbcTemplate jdbc) {
		this.store = store;
		this.jdbc = jdbc;
	}

	/**
	 * An entry of the quarantine.
	 *
	 * @param id entry id
	 * @param owner who uploaded it
	 * @param uploadId the upload it came with
	 * @param fileName client file name
	 * @param objectKey where its bytes are
	 * @param sha256 hex SHA-256
	 * @param sizeBytes size
	 * @param reason why it failed
	 * @param createdAt when
	 */
	public record Entry(UUID id, String owner, UUID uploadId, String fileName, String objectKey, String sha256,
			long sizeBytes, Rejection reason, Instant createdAt) {
	}

	/** Stores the bytes aside and records why; returns the entry id. Cleans up the object if the row fails. */
	public UUID keep(String owner, UUID uploadId, String fileName, String sha256, long size, Rejection reason,
			InputStreamSource content) throws IOException {
		UUID id = UUID.randomUUID();
		String key = this.store.tenant() + "/quarantine/" + id;
		this.store.put(key, content::open, size, "application/octet-stream", Map.of(ObjectStore.SHA256, sha256));
		try {
			this.jdbc.update("insert into quarantined_file (id, owner, upload_id, file_name, object_key, sha256, "
					+ "size_bytes, reason_code, reason_attribute, reason_text, created_at) "
					+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, owner, uploadId, fileName, key, sha256, size,
					reason.code().name(), reason.attribute(), reason.message(), Timestamp.from(Instant.now()));
		}
		catch (RuntimeException ex) {
			this.store.delete(key);
			throw ex;
		}
		return id;
	}

	/** Bytes kept in quarantine for {@code owner}: they count against the owner's quota like stored files. */
	public long bytesHeldBy(String owner) {
		Long bytes = this.jdbc.queryForObject(
				"select coalesce(sum(size_bytes), 0) from quarantined_file where owner = ?", Long.class, owner);
		return (bytes != null) ? bytes : 0;
	}

	public List<Entry> list(int limit, int offset) {
		return this.jdbc.query("select id, owner, upload_id, file_name, object_key, sha256, size_bytes, reason_code, "
				+ "reason_attribute, reason_text, created_at from quarantined_file order by created_at desc, id "
				+ "limit ? offset ?", (rs, i) -> new Entry(rs.getObject(1, UUID.class), rs.getString(2),
						rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
						new Rejection(io.dicomflow.upload.validation.RejectionCode.valueOf(rs.getString(8)),
								rs.getString(9), rs.getString(10)),
						rs.getTimestamp(11).toInstant()),
				limit, offset);
	}

	/** Opens the bytes again (the source is read twice: once to validate, once to store). */
	@FunctionalInterface
	public interface InputStreamSource {

		InputStream open() throws IOException;

	}

}
