package io.dicomflow.upload.upload;

import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.identity.Roles;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads uploads for their owner (an admin reads all); another owner's upload is indistinguishable from a
 * missing one. An {@code uploader} sees states, not analysis figures.
 */
@Service
@Transactional(readOnly = true)
class UploadQueries {

	private final Uploads uploads;

	private final UploadFiles files;

	private final JdbcTemplate jdbc;

	UploadQueries(Uploads uploads, UploadFiles files, JdbcTemplate jdbc) {
		this.uploads = uploads;
		this.files = files;
		this.jdbc = jdbc;
	}

	/**
	 * Who is reading.
	 *
	 * @param userId the caller
	 * @param admin whether the caller reads everyone's uploads
	 * @param seesResults whether the caller may see analysis figures
	 */
	record Reader(String userId, boolean admin, boolean seesResults) {

		static Reader of(Authentication caller) {
			return new Reader(caller.getName(), Roles.isAdmin(caller), Roles.mayReadResults(caller));
		}

	}

	Optional<UploadView> find(UUID id, Reader reader) {
		Optional<Upload> upload = reader.admin() ? this.uploads.findById(id)
				: this.uploads.findByIdAndOwner(id, reader.userId());
		return upload.map((u) -> view(u, reader));
	}

	Page<UploadView> list(Reader reader, Pageable page) {
		return this.uploads.findByOwnerOrderByCreatedAtDesc(reader.userId(), page).map((u) -> view(u, reader));
	}

	private UploadView view(Upload upload, Reader reader) {
		return new UploadView(upload.getId(), upload.getCreatedAt(), upload.getState(), upload.getDeclaredFiles(),
				upload.getCommittedAt(),
				this.files.findByUploadIdOrderByFileName(upload.getId())
					.stream()
					.map((file) -> UploadView.FileView.of(file, reader.seesResults() ? result(file.getResultId()) : null))
					.toList());
	}

	/** The analysis figures, read from the worker's result table (the read side of the pipeline). */
	private UploadView.ResultSummary result(String resultId) {
		if (resultId == null) {
			return null;
		}
		return this.jdbc
			.query("select id, device_name, data_size, average_before_normalization, average_after_normalization "
					+ "from medical_image_result where id = ?",
					(rs, i) -> new UploadView.ResultSummary(rs.getString(1), rs.getString(2), rs.getLong(3),
							rs.getDouble(4), rs.getDouble(5)),
					resultId)
			.stream()
			.findFirst()
			.orElse(null);
	}

}
