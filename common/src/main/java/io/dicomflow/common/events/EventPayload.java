package io.dicomflow.common.events;

/**
 * The typed body of an {@link EventEnvelope}. Each payload names its wire type and schema version so that a
 * consumer can tell which record to read and whether it understands it.
 */
public sealed interface EventPayload permits ImageUploaded, UploadCompleted, AnalysisCompleted, AnalysisFailed,
		FilesNotified {

	/** The wire name of this payload, e.g. {@code ImageUploaded}. */
	String eventType();

	/** Bumped whenever a field changes meaning or is removed; adding a field keeps the version. */
	int schemaVersion();

}
