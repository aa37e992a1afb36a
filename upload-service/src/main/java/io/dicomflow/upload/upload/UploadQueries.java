package io.dicomflow.upload.upload;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads uploads for their owner; another owner's upload is indistinguishable from a missing one. */
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

	Optional<UploadView> find(UUID id, String owner) {
		return this.uploads.findByIdAndOwner(id, owner).map(this::view);
	}

	Page<UploadView> list(String owner, Pageable page) {
		return this.uploads.findByOwnerOrderByCreatedAtDesc(owner, page).map(this::view);
	}

	private UploadView view(Upload upload) {
		return new UploadView(upload.getId(), upload.getCreatedAt(),
				this.files.findByUploadIdOrderByFileName(upload.getId())
					.stream()
					.map((file) -> UploadView.FileView.of(file, result(file.getResultId())))
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
