package io.dicomflow.worker.analysis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.messaging.BrokerFlavour;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.messaging.TopologyDeclarations;
import io.dicomflow.worker.failures.FailedRequests;
import io.dicomflow.worker.results.ResultRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One analysis request at a time per consumer thread. Every delivery is settled by exactly one decision, and
 * acknowledged only once that decision is durable:
 * <ul>
 * <li>analysed, or recognised as a redelivery → result and event committed, ack;</li>
 * <li>permanent failure (corrupt file, unsupported image, missing object) → {@code AnalysisFailed} committed,
 * request parked, ack;</li>
 * <li>transient failure (object store, database, broker, too slow) → request published to the delay queue of
 * its attempt, ack; after the last delay: {@code AnalysisFailed} committed, request parked, ack;</li>
 * <li>the decision itself could not be made durable (e.g. database and broker both gone) → nack with requeue,
 * so the broker keeps the request.</li>
 * </ul>
 * A worker dying mid-analysis leaves the request unacknowledged, and the broker redelivers it.
 */
@Component
class AnalysisRequestListener implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AnalysisRequestListener.class);

	/** RabbitMQ quorum queues count deliveries in this header. */
	private static final String DELIVERY_COUNT = "x-delivery-count";

	private final ImageFetchingAnalyzer analyzer;

	private final ResultRecorder results;

	private final FailedRequests failures;

	private final EventCodec codec;

	private final List<Duration> retryDelays;

	private final WorkerProperties properties;

	private final MeterRegistry meters;

	private final Timer duration;

	private final DistributionSummary bytes;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final ExecutorService analyses;

	AnalysisRequestListener(ImageFetchingAnalyzer analyzer, ResultRecorder results, FailedRequests failures,
			EventCodec codec, TopologyDeclarations topology, WorkerProperties properties, MeterRegistry meters) {
		this.analyzer = analyzer;
		this.results = results;
		this.failures = failures;
		this.codec = codec;
		this.retryDelays = topology.retryDelays();
		this.properties = properties;
		this.meters = meters;
		this.duration = Timer.builder("dicomflow.analysis.duration")
			.description("time to fetch and analyse one image")
			.publishPercentiles(0.5, 0.9, 0.99)
			.publishPercentileHistogram()
			.register(meters);
		this.bytes = DistributionSummary.builder("dicomflow.analysis.bytes")
			.description("bytes of the images fetched for analysis")
			.baseUnit("bytes")
			.register(meters);
		Gauge.builder("dicomflow.analysis.in_flight", this.inFlight, AtomicInteger::get)
			.description("analysis requests being worked on")
			.register(meters);
		AtomicInteger threads = new AtomicInteger();
		this.analyses = Executors.newCachedThreadPool((r) -> {
			Thread thread = new Thread(r, "analysis-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@RabbitListener(queues = Topology.ANALYSIS_REQUESTS, containerFactory = WorkerConfiguration.ANALYSIS_CONTAINER_FACTORY)
	void onImageUploaded(Message message, Channel channel) throws IOException {
		long tag = message.getMessageProperties().getDeliveryTag();
		this.inFlight.incrementAndGet();
		try {
			if (settle(message)) {
				channel.basicAck(tag, false);
			}
			else {
				pause();
				channel.basicNack(tag, false, true);
			}
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

	/** @return true when the request's fate is durable and the delivery can be acknowledged */
	private boolean settle(Message message) {
		EventEnvelope<? extends EventPayload> event;
		try {
			event = this.codec.decode(message.getBody());
		}
		catch (RuntimeException ex) {
			log.error("Parking unreadable analysis request {}: {}", message.getMessageProperties().getMessageId(),
					ex.getMessage());
			countFailure("unreadable");
			return park(message, "UNREADABLE", "the message is not an event this worker reads: " + ex.getMessage());
		}
		if (!(event.payload() instanceof ImageUploaded)) {
			log.warn("Ignoring {} {} on the analysis queue", event.type(), event.eventId());
			return true;
		}
		@SuppressWarnings("unchecked")
		EventEnvelope<ImageUploaded> request = (EventEnvelope<ImageUploaded>) event;
		int attempt = FailedRequests.attempt(message);
		try {
			if (lastDeliveryAfterCrashes(message)) {
				// the deliveries before this one never came back (worker killed, out of memory): give up before
				// the broker parks it on its own without anyone telling the uploader
				return giveUp(message, request, "REDELIVERY_LIMIT",
						"the worker stopped without an answer on every delivery of this image");
			}
			return analyse(message, request);
		}
		catch (Exception ex) {
			return retryOrGiveUp(message, request, attempt, ex);
		}
	}

	private boolean analyse(Message message, EventEnvelope<ImageUploaded> request) throws Exception {
		ImageUploaded image = request.payload();
		if (this.results.alreadyHandled(request.eventId())) {
			log.info("Event {} already analysed, acknowledging the redelivery", request.eventId());
			count("duplicate");
			return true;
		}
		var reusable = this.results.existing(request.owner(), image);
		if (reusable.isPresent()) {
			this.results.reused(request, reusable.get());
			count("reused");
			return true;
		}
		long start = System.nanoTime();
		AnalysisOutcome outcome = analyseWithin(image, this.properties.analysisTimeout());
		this.duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		if (outcome instanceof AnalysisOutcome.Analysed analysed) {
			this.results.completed(request, analysed.analysis());
			count("completed");
			log.info("Analysed instance {} of upload {}", image.sopInstanceUid(), image.uploadId());
			return true;
		}
		AnalysisOutcome.Unanalysable failed = (AnalysisOutcome.Unanalysable) outcome;
		log.info("Instance {} of upload {} cannot be analysed: {}", image.sopInstanceUid(), image.uploadId(),
				failed.code());
		return giveUp(message, request, failed.code(), failed.reason());
	}

	/**
	 * Runs the analysis on its own thread, so that a pathological image cannot hold the delivery past the
	 * broker's acknowledgement timeout: after {@code timeout} it is interrupted and counted as transient.
	 */
	private AnalysisOutcome analyseWithin(ImageUploaded image, Duration timeout) throws Exception {
		Future<AnalysisOutcome> running = this.analyses.submit(() -> this.analyzer.analyze(image, this.bytes::record));
		try {
			return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			running.cancel(true);
			throw new AnalysisTimeoutException("the analysis took longer than " + timeout);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
		catch (InterruptedException ex) {
			running.cancel(true);
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	private boolean retryOrGiveUp(Message message, EventEnvelope<ImageUploaded> request, int attempt, Exception ex) {
		String reason = describe(ex);
		if (Thread.currentThread().isInterrupted()) {
			// the container is stopping: leave the request to the broker
			return false;
		}
		if (attempt <= this.retryDelays.size()) {
			Duration delay = this.retryDelays.get(attempt - 1);
			try {
				this.failures.retryLater(message, delay, attempt + 1);
				Counter.builder("dicomflow.analysis.retried").register(this.meters).increment();
				log.warn("Analysis of event {} failed on attempt {} ({}); retrying in {}", request.eventId(), attempt,
						reason, delay);
				return true;
			}
			catch (RuntimeException publishFailed) {
				log.warn("Could not schedule a retry of event {}: {}", request.eventId(), publishFailed.toString());
				return false;
			}
		}
		return giveUp(message, request, "RETRIES_EXHAUSTED",
				"gave up after " + attempt + " attempts; last failure: " + reason);
	}

	/** Announces the failure and parks the request; false when either could not be made durable. */
	private boolean giveUp(Message message, EventEnvelope<ImageUploaded> request, String code, String reason) {
		try {
			this.results.failed(request, code, reason);
		}
		catch (RuntimeException ex) {
			log.warn("Could not record the failure of event {}: {}", request.eventId(), ex.toString());
			return false;
		}
		countFailure(code.toLowerCase(Locale.ROOT));
		return park(message, code, reason);
	}

	private boolean park(Message message, String code, String reason) {
		try {
			this.failures.park(message, code, reason);
			return true;
		}
		catch (RuntimeException ex) {
			log.warn("Could not park message {}: {}", message.getMessageProperties().getMessageId(), ex.toString());
			return false;
		}
	}

	private static boolean lastDeliveryAfterCrashes(Message message) {
		Object count = message.getMessageProperties().getHeader(DELIVERY_COUNT);
		return count instanceof Number n && n.intValue() >= BrokerFlavour.MAX_DELIVERIES - 1;
	}

	/** A reason free of patient data: exception types and messages of I/O and infrastructure failures. */
	private static String describe(Exception ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	private void count(String outcome) {
		Counter.builder("dicomflow.analysis.processed").tag("outcome", outcome).register(this.meters).increment();
	}

	private void countFailure(String reason) {
		Counter.builder("dicomflow.analysis.failed").tag("reason", reason).register(this.meters).increment();
		count("failed");
	}

	private static void pause() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void destroy() {
		this.analyses.shutdownNow();
	}

	/** The analysis ran past its time limit. */
	static final class AnalysisTimeoutException extends Exception {

		AnalysisTimeoutException(String message) {
			super(message);
		}

	}

}
