package io.dicomflow.common.messaging;

/** Names of the exchanges, queues and routing keys. Nothing else in the code spells them. */
public final class Topology {

	/** Topic exchange for upload-side facts. */
	public static final String UPLOADS_EXCHANGE = "dicomflow.uploads";

	/** Routing key of {@code ImageUploaded}. */
	public static final String IMAGE_UPLOADED = "image.uploaded";

	/** Routing key of {@code UploadCompleted}. */
	public static final String UPLOAD_COMPLETED = "upload.completed";

	/** Topic exchange for analysis outcomes. */
	public static final String ANALYSIS_EXCHANGE = "dicomflow.analysis";

	/** Routing key of {@code AnalysisCompleted}. */
	public static final String ANALYSIS_COMPLETED = "analysis.completed";

	/** Routing key of {@code AnalysisFailed}. */
	public static final String ANALYSIS_FAILED = "analysis.failed";

	/** Binding pattern matching every analysis outcome. */
	public static final String ANALYSIS_ANY = "analysis.*";

	/** Work queue of the analysis workers (competing consumers). */
	public static final String ANALYSIS_REQUESTS = "analysis.requests";

	/** Fanout exchange receiving what the work queue dead-letters. */
	public static final String ANALYSIS_DEAD_LETTER_EXCHANGE = "dicomflow.analysis.dlx";

	/** Parking queue for messages the workers gave up on. */
	public static final String ANALYSIS_PARKING = "analysis.requests.dlq";

	/** Durable queue of the upload service: analysis outcomes that move a file's state. */
	public static final String UPLOAD_STATUS = "uploads.analysis-status";

	/** Durable competing-consumer queue of the notifiers: exactly one instance sends each email. */
	public static final String NOTIFICATIONS_EMAIL = "notifications.email";

	/** Prefix of each notifier instance's own auto-delete queue for WebSocket pushes. */
	public static final String NOTIFICATIONS_PUSH_PREFIX = "notifications.push.";

	private Topology() {
	}

}
