package io.dicomflow.upload.upload;

import java.util.List;
import java.util.UUID;

/**
 * The answer to an upload request.
 *
 * @param uploadId id to follow the upload with ({@code GET /api/uploads/{id}}); null when nothing new was stored
 * @param files one outcome per file, in request order
 */
public record UploadReceipt(UUID uploadId, List<FileOutcome> files) {

	public boolean anyAccepted() {
		return this.files.stream().anyMatch(FileOutcome::isAccepted);
	}

	/** Whether at least one file is stored (new or duplicate): the request answers 202. */
	public boolean anyStored() {
		return this.files.stream().anyMatch(FileOutcome::isStored);
	}

}
