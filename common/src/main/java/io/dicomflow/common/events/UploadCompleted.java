package io.dicomflow.common.events;

import java.util.List;
import java.util.UUID;

/**
 * Every file of an upload has been received and stored: the set of files whose analyses will follow is now
 * known, so a consumer can tell when "all of them" are done (e.g. to send one summary email per upload).
 *
 * @param uploadId the upload
 * @param fileIds the stored files of the upload (rejected files are not part of it)
 */
public record UploadCompleted(UUID uploadId, List<UUID> fileIds) implements EventPayload {

	public static final String TYPE = "UploadCompleted";

	public UploadCompleted {
		fileIds = List.copyOf(fileIds);
	}

	@Override
	public String eventType() {
		return TYPE;
	}

	@Override
	public int schemaVersion() {
		return 1;
	}

}
