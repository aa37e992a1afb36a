package io.dicomflow.upload.upload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An upload as its owner sees it.
 *
 * @param id upload id
 * @param createdAt when it was received (or the session opened)
 * @param state {@code OPEN} while a session takes files, {@code COMMITTED} once complete
 * @param declaredFiles for a session: the number of files its client declared
 * @param committedAt when the upload was committed
 * @param files its stored files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadView(UUID id, Instant createdAt, Upload.State state, Integer declaredFiles, Instant committedAt,
		List<FileView> files) {

	/**
	 * One stored file.
	 *
	 * @param id file id
	 * @param name client file name
	 * @param state current state
	 * @param transitions when each state was reached
	 * @param sopInstanceUid SOP Instance UID
	 * @param sha256 hex SHA-256 of the stored bytes
	 * @param sizeBytes stored size
	 * @param result the analysis result, once {@code DONE}
	 * @param failure why the analysis failed, once {@code FAILED}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record FileView(UUID id, String name, FileState state, Map<FileState, Instant> transitions,
			String sopInstanceUid, String sha256, long sizeBytes, ResultSummary result, Failure failure) {

		static FileView of(UploadFile file, ResultSummary result) {
			Failure failure = (file.getFailureCode() != null)
					? new Failure(file.getFailureCode(), file.getFailureReason()) : null;
			return new FileView(file.getId(), file.getFileName(), file.getState(),
					new java.util.TreeMap<>(file.getTransitions()), file.getSopInstanceUid(), file.getSha256(),
					file.getSizeBytes(), result, failure);
		}

	}

	/**
	 * The figures of a file's analysis (the brief's Task 4 fields).
	 *
	 * @param id result id
	 * @param deviceName device the image came from
	 * @param dataSize number of pixel values
	 * @param averageBeforeNormalization mean pixel value
	 * @param averageAfterNormalization mean of value / max
	 */
	public record ResultSummary(String id, String deviceName, long dataSize, double averageBeforeNormalization,
			double averageAfterNormalization) {
	}

	/**
	 * @param code machine-readable reason
	 * @param reason human-readable reason
	 */
	public record Failure(String code, String reason) {
	}

}
