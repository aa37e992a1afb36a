package io.dicomflow.common.events;

import java.util.List;
import java.util.UUID;

/**
 * Every file of an upload has been received and stored: the set of files whose analyses will follow is now
 * known, so a consumer can tell when "all of them" are done (e.g. to send one summary email per upload).
 *
 * @param uploadId the upload
 * @param fileIds the stored files of the upload (rejected files are not part of it)
 * @param session whether the upload was an explicit session (opened, filled over several requests, committed)
 * rather than one request; the notifier mails a session its own summary and gathers the others into a per-user
 * digest. Added to schema version 1 without a version change: a reader that does not know it ignores it, and an
 * event written before it existed reads as {@code false}.
 */
public record UploadCompleted(UUID uploadId, List<UUID> fileIds, Boolean session) implements EventPayload {

	public static final String TYPE = "UploadCompleted";

	public UploadCompleted {
		fileIds = List.copyOf(fileIds);
		// a Boolean, not a boolean, so that an event without the field (written before it existed) reads as false
		session = Boolean.TRUE.equals(session);
	}

	/** The upload of one request (an implicit session). */
	public UploadCompleted(UUID uploadId, List<UUID> fileIds) {
		this(uploadId, fileIds, false);
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
