package io.dicomflow.upload.upload;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dicomflow.upload.validation.Rejection;

/**
 * What happened to one file of an upload request.
 *
 * @param name the file name the client sent
 * @param outcome {@code ACCEPTED} or {@code REJECTED}
 * @param fileId id of the stored file, when accepted
 * @param sopInstanceUid the instance's SOP Instance UID, when it could be read
 * @param rejection why it was refused, when rejected
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileOutcome(String name, Outcome outcome, UUID fileId, String sopInstanceUid, Rejection rejection) {

	public enum Outcome {

		ACCEPTED, REJECTED

	}

	static FileOutcome accepted(String name, UUID fileId, String sopInstanceUid) {
		return new FileOutcome(name, Outcome.ACCEPTED, fileId, sopInstanceUid, null);
	}

	static FileOutcome rejected(String name, Rejection rejection) {
		return new FileOutcome(name, Outcome.REJECTED, null, null, rejection);
	}

	boolean isAccepted() {
		return this.outcome == Outcome.ACCEPTED;
	}

}
