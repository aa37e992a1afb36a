package io.dicomflow.upload.upload;

/**
 * Where a stored file is on its way. States only move forward; {@link #DONE} and {@link #FAILED} end the way.
 * (A rejected file never gets a state: nothing of it is kept.)
 */
public enum FileState {

	RECEIVED, STORED, QUEUED, ANALYZING, DONE, FAILED;

	public boolean isFinal() {
		return this == DONE || this == FAILED;
	}

	/** Whether a file in this state may move to {@code next}. */
	public boolean canAdvanceTo(FileState next) {
		return !isFinal() && next.ordinal() > ordinal();
	}

}
