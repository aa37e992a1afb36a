package io.dicomflow.worker.analysis;

import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.worker.results.ResultRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * One analysis request at a time per consumer thread; acknowledged only after its result and event were
 * committed, so a worker dying mid-analysis leaves the request to be redelivered.
 */
@Component
class AnalysisRequestListener {

	private static final Logger log = LoggerFactory.getLogger(AnalysisRequestListener.class);

	private final ImageFetchingAnalyzer analyzer;

	private final ResultRecorder results;

	private final EventDelivery delivery;

	private final MeterRegistry meters;

	private final Timer duration;

	AnalysisRequestListener(ImageFetchingAnalyzer analyzer, ResultRecorder results, EventDelivery delivery,
			MeterRegistry meters) {
		this.analyzer = analyzer;
		this.results = results;
		this.delivery = delivery;
		this.meters = meters;
		this.duration = Timer.builder("dicomflow.analysis.duration").publishPercentileHistogram().register(meters);
	}

	@RabbitListener(queues = Topology.ANALYSIS_REQUESTS, containerFactory = WorkerConfiguration.ANALYSIS_CONTAINER_FACTORY)
	void onImageUploaded(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::handle);
	}

	@SuppressWarnings("unchecked")
	private void handle(EventEnvelope<? extends EventPayload> event) throws Exception {
		if (!(event.payload() instanceof ImageUploaded image)) {
			log.warn("Ignoring {} on the analysis queue", event.type());
			return;
		}
		EventEnvelope<ImageUploaded> request = (EventEnvelope<ImageUploaded>) event;
		if (this.results.alreadyHandled(event.eventId())) {
			log.info("Event {} already analysed, acknowledging the redelivery", event.eventId());
			return;
		}
		var reusable = this.results.existing(event.owner(), image);
		if (reusable.isPresent()) {
			this.results.reused(request, reusable.get());
			count("reused");
			return;
		}
		long start = System.nanoTime();
		AnalysisOutcome outcome = this.analyzer.analyze(image);
		this.duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		if (outcome instanceof AnalysisOutcome.Analysed analysed) {
			this.results.completed(request, analysed.analysis());
			count("completed");
			log.info("Analysed instance {} of upload {}", image.sopInstanceUid(), image.uploadId());
		}
		else if (outcome instanceof AnalysisOutcome.Unanalysable failed) {
			this.results.failed(request, failed.code(), failed.reason());
			count("failed_" + failed.code().toLowerCase(java.util.Locale.ROOT));
			log.info("Instance {} of upload {} cannot be analysed: {}", image.sopInstanceUid(), image.uploadId(),
					failed.code());
		}
	}

	private void count(String outcome) {
		Counter.builder("dicomflow.analysis.processed").tag("outcome", outcome).register(this.meters).increment();
	}

}
