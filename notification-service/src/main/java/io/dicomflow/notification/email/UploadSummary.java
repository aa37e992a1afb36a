package io.dicomflow.notification.email;

import java.util.List;
import java.util.UUID;

/**
 * What the summary email of one upload says.
 *
 * @param uploadId the upload
 * @param files every file of the upload with its outcome
 */
record UploadSummary(UUID uploadId, List<FileOutcome> files) {

	long done() {
		return this.files.stream().filter((f) -> "DONE".equals(f.outcome())).count();
	}

	long failed() {
		return this.files.size() - done();
	}

	/**
	 * @param uploadId the upload the file belongs to
	 * @param fileId the file
	 * @param outcome {@code DONE} or {@code FAILED}
	 * @param sopInstanceUid the instance
	 * @param resultId result id when done
	 * @param deviceName device when done
	 * @param dataSize number of values when done
	 * @param averageBefore mean when done
	 * @param averageAfter normalised mean when done
	 * @param reasonCode reason code when failed
	 * @param reason reason when failed
	 */
	record FileOutcome(UUID uploadId, UUID fileId, String outcome, String sopInstanceUid, String resultId, String deviceName,
			Long dataSize, Double averageBefore, Double averageAfter, String reasonCode, String reason) {
	}

}
