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

	/**
	 * Prefix of the delay queues of failed analysis requests; the suffix is the delay in milliseconds, so a
	 * changed delay is a new queue instead of a redeclaration the broker refuses.
	 */
	public static final String ANALYSIS_RETRY_PREFIX = "analysis.requests.retry-";

	/** Fanout exchange that takes expired retries back to {@link #ANALYSIS_REQUESTS}. */
	public static final String ANALYSIS_REQUEUE_EXCHANGE = "dicomflow.analysis.requeue";

	/** Header counting the attempts at one analysis request (1 for the first delivery). */
	public static final String ATTEMPT_HEADER = "x-dicomflow-attempt";

	/** Header of a parked message: why it was parked (code). */
	public static final String PARKED_REASON_HEADER = "x-dicomflow-parked-reason";

	/** Header of a parked message: human-readable detail, free of patient data. */
	public static final String PARKED_DETAIL_HEADER = "x-dicomflow-parked-detail";

	/** Header of a message re-queued by an administrator: how many times it was. */
	public static final String REQUEUED_HEADER = "x-dicomflow-requeued";

	/** Durable competing-consumer queue of the notifiers that writes the per-user event feed. */
	public static final String NOTIFICATIONS_FEED = "notifications.feed";

	/** Durable queue of the upload service: analysis outcomes that move a file's state. */
	public static final String UPLOAD_STATUS = "uploads.analysis-status";

	/** Topic exchange for notification facts. */
	public static final String NOTIFICATIONS_EXCHANGE = "dicomflow.notifications";

	/** Routing key of {@code FilesNotified}. */
	public static final String FILES_NOTIFIED = "files.notified";

	/** Name of the delay queue of {@code delay}. */
	public static String analysisRetryQueue(java.time.Duration delay) {
		return ANALYSIS_RETRY_PREFIX + delay.toMillis() + "ms";
	}

	/** Durable competing-consumer queue of the notifiers: exactly one instance sends each email. */
	public static final String NOTIFICATIONS_EMAIL = "notifications.email";

	/** Prefix of each notifier instance's own auto-delete queue for WebSocket pushes. */
	public static final String NOTIFICATIONS_PUSH_PREFIX = "notifications.push.";

	private Topology() {
	}

}
