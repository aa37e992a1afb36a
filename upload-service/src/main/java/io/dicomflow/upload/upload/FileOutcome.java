package io.dicomflow.upload.upload;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dicomflow.upload.validation.Rejection;

/**
 * What happened to one file of an upload request.
 *
 * @param name the file name the client sent
 * @param outcome what became of it
 * @param fileId the stored file: the new one when {@code ACCEPTED}, the existing one when {@code DUPLICATE},
 * the quarantine entry when {@code QUARANTINED}
 * @param sopInstanceUid the instance's SOP Instance UID, when it could be read and is valid
 * @param sha256 hex SHA-256 of the bytes received
 * @param uploadId for {@code DUPLICATE}: the upload the existing file belongs to
 * @param resultId for {@code DUPLICATE}: the existing analysis result, once there is one
 * @param differences for {@code CONFLICT}: the attributes (keywords) in which the owner's stored instance differs
 * @param rejection why it was not accepted ({@code CONFLICT}, {@code QUARANTINED}, {@code REJECTED})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileOutcome(String name, Outcome outcome, UUID fileId, String sopInstanceUid, String sha256,
		UUID uploadId, String resultId, List<String> differences, Rejection rejection) {

	public enum Outcome {

		/** Stored; its analysis follows. */
		ACCEPTED,
		/** The owner already has this instance with these bytes: nothing stored or analysed again. */
		DUPLICATE,
		/**
		 * The owner already has an instance with this SOP Instance UID and different bytes: refused (ADR 0004).
		 * Only ever about the owner's own instances: owners have separate key spaces (ADR 0011).
		 */
		CONFLICT,
		/** Failed a content rule and kept aside for an admin; never analysed. */
		QUARANTINED,
		/** Refused; nothing of it was kept. */
		REJECTED

	}

	static FileOutcome accepted(String name, UUID fileId, String sopInstanceUid, String sha256) {
		return new FileOutcome(name, Outcome.ACCEPTED, fileId, sopInstanceUid, sha256, null, null, null, null);
	}

	static FileOutcome duplicate(String name, UploadFile existing) {
		return new FileOutcome(name, Outcome.DUPLICATE, existing.getId(), existing.getSopInstanceUid(),
				existing.getSha256(), existing.getUploadId(), existing.getResultId(), null, null);
	}

	static FileOutcome conflict(String name, String sopInstanceUid, String sha256, List<String> differences,
			Rejection rejection) {
		return new FileOutcome(name, Outcome.CONFLICT, null, sopInstanceUid, sha256, null, null,
				List.copyOf(differences), rejection);
	}

	static FileOutcome quarantined(String name, UUID quarantineId, String sha256, Rejection rejection) {
		return new FileOutcome(name, Outcome.QUARANTINED, quarantineId, null, sha256, null, null, null, rejection);
	}

	static FileOutcome rejected(String name, String sha256, Rejection rejection) {
		return new FileOutcome(name, Outcome.REJECTED, null, null, sha256, null, null, null, rejection);
	}

	@JsonIgnore
	public boolean isAccepted() {
		return this.outcome == Outcome.ACCEPTED;
	}

	/** Accepted or duplicate: the client's file is stored, one way or the other. */
	@JsonIgnore
	public boolean isStored() {
		return this.outcome == Outcome.ACCEPTED || this.outcome == Outcome.DUPLICATE;
	}

}
