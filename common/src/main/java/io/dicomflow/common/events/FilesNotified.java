package io.dicomflow.common.events;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of these files reached their owner (pushed to an open session or emailed), so their state can
 * end in {@code NOTIFIED}.
 *
 * @param uploadId the upload the files belong to
 * @param fileIds the files
 * @param channel how the owner was told: {@code push} or {@code email}
 */
public record FilesNotified(UUID uploadId, List<UUID> fileIds, String channel) implements EventPayload {

	public static final String TYPE = "FilesNotified";

	public FilesNotified {
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
