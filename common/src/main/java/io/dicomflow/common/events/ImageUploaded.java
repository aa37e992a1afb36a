package io.dicomflow.common.events;

import java.util.UUID;

/**
 * One DICOM instance was stored in the object store and waits for analysis.
 *
 * @param uploadId the upload the file arrived in (also the envelope's correlation id)
 * @param fileId the stored file, unique per upload
 * @param objectKey the object-store key of the stored bytes
 * @param sha256 hex SHA-256 of the stored bytes
 * @param sizeBytes number of stored bytes
 * @param sopInstanceUid SOP Instance UID read from the header
 * @param sopClassUid SOP Class UID read from the header
 * @param studyInstanceUid Study Instance UID read from the header
 * @param seriesInstanceUid Series Instance UID read from the header
 * @param transferSyntaxUid transfer syntax of the stored file
 */
public record ImageUploaded(UUID uploadId, UUID fileId, String objectKey, String sha256, long sizeBytes,
		String sopInstanceUid, String sopClassUid, String studyInstanceUid, String seriesInstanceUid,
		String transferSyntaxUid) implements EventPayload {

	public static final String TYPE = "ImageUploaded";

	@Override
	public String eventType() {
		return TYPE;
	}

	@Override
	public int schemaVersion() {
		return 1;
	}

}
