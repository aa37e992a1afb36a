package io.dicomflow.common.events;

import java.util.UUID;

/**
 * The analysis of one stored instance is ready.
 *
 * @param uploadId the upload the file arrived in
 * @param fileId the analysed file
 * @param resultId id of the stored result (the {@code /api/elements/} id)
 * @param sopInstanceUid SOP Instance UID of the analysed instance
 * @param deviceName device the image came from (Manufacturer / model / station), may be empty
 * @param dataSize number of analysed pixel values
 * @param averageBeforeNormalization mean of the stored pixel values
 * @param averageAfterNormalization mean of value / max, as in the brief's Task 3.2
 */
public record AnalysisCompleted(UUID uploadId, UUID fileId, String resultId, String sopInstanceUid,
		String deviceName, long dataSize, double averageBeforeNormalization, double averageAfterNormalization)
		implements EventPayload {

	public static final String TYPE = "AnalysisCompleted";

	@Override
	public String eventType() {
		return TYPE;
	}

	@Override
	public int schemaVersion() {
		return 1;
	}

}
