package io.dicomflow.common.events;

import java.util.UUID;

/**
 * A stored instance could not be analysed.
 *
 * @param uploadId the upload the file arrived in
 * @param fileId the file that failed
 * @param sopInstanceUid SOP Instance UID of the instance
 * @param reasonCode machine-readable reason, e.g. {@code UNSUPPORTED_IMAGE}, {@code MALFORMED_DICOM}
 * @param reason human-readable reason, free of patient data
 */
public record AnalysisFailed(UUID uploadId, UUID fileId, String sopInstanceUid, String reasonCode, String reason)
		implements EventPayload {

	public static final String TYPE = "AnalysisFailed";

	@Override
	public String eventType() {
		return TYPE;
	}

	@Override
	public int schemaVersion() {
		return 1;
	}

}
