package io.dicomflow.upload.dicomweb;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalInt;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.upload.upload.StoredInstanceListener;
import io.dicomflow.upload.upload.UploadFile;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Copies the attributes QIDO-RS matches and returns into {@code dicomweb_instance}, in the transaction that
 * records the file. The same instance stored again by its owner keeps its first row (the bytes are the same:
 * different bytes under one SOP Instance UID are refused by the ingest).
 */
@Component
class InstanceIndexer implements StoredInstanceListener {

	private final JdbcTemplate jdbc;

	InstanceIndexer(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void stored(UploadFile file, DicomHeader header) {
		this.jdbc.update("""
				insert into dicomweb_instance (file_id, owner, study_instance_uid, series_instance_uid,
				    sop_instance_uid, sop_class_uid, transfer_syntax_uid, object_key, size_bytes, stored_at,
				    patient_id, patient_name, patient_birth_date, patient_sex, study_date, study_time,
				    accession_number, referring_physician, study_id, study_description, modality, series_number,
				    series_description, instance_number, number_of_frames, image_rows, image_columns)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				on conflict (owner, sop_instance_uid) do nothing
				""", file.getId(), file.getOwner(), file.getStudyInstanceUid(), file.getSeriesInstanceUid(),
				file.getSopInstanceUid(), text(header, "SOPClassUID"), header.transferSyntaxUid(),
				file.getObjectKey(), file.getSizeBytes(), Timestamp.from(Instant.now()), text(header, "PatientID"),
				text(header, "PatientName"), text(header, "PatientBirthDate"), text(header, "PatientSex"),
				text(header, "StudyDate"), text(header, "StudyTime"), text(header, "AccessionNumber"),
				text(header, "ReferringPhysicianName"), text(header, "StudyID"), text(header, "StudyDescription"),
				text(header, "Modality"), number(header, "SeriesNumber"), text(header, "SeriesDescription"),
				number(header, "InstanceNumber"), number(header, "NumberOfFrames"), number(header, "Rows"),
				number(header, "Columns"));
	}

	/** The value as stored, without the padding; null when absent or empty (so it matches no key). */
	private static String text(DicomHeader header, String keyword) {
		return header.string(keyword).map((v) -> v.replace("\0", "").strip()).filter((v) -> !v.isEmpty()).orElse(null);
	}

	private static Integer number(DicomHeader header, String keyword) {
		OptionalInt value = header.integer(keyword);
		return value.isPresent() ? value.getAsInt() : null;
	}

}
