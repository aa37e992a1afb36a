package io.dicomflow.upload.upload;

/**
 * Where a stored file is on its way. States only move forward; {@link #DONE} and {@link #FAILED} end the
 * analysis, {@link #NOTIFIED} (the outcome reached the owner, pushed or emailed) ends the way. Two exceptions
 * to "forward": a FAILED file whose parked request an operator re-queued may still become DONE, and NOTIFIED
 * only follows DONE or FAILED. (A rejected file never gets a state: nothing of it is kept.)
 */
public enum FileState {

	RECEIVED, STORED, QUEUED, ANALYZING, DONE, FAILED, NOTIFIED;

	/** Whether the analysis of a file in this state has ended. */
	public boolean isFinal() {
		return this == DONE || this == FAILED || this == NOTIFIED;
	}

	/** Whether a file in this state may move to {@code next}. */
	public boolean canAdvanceTo(FileState next) {
		if (next == NOTIFIED) {
			return this == DONE || this == FAILED;
		}
		if (this == FAILED && next == DONE) {
			return true;
		}
		return !isFinal() && next.ordinal() > ordinal();
	}

}
