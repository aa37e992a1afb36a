package io.dicomflow.worker.analysis;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.dicomflow.worker.results.AnalyzerVersion;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings.
 *
 * @param concurrency concurrent consumers; 0 means one per available processor
 * @param prefetch unacknowledged messages per consumer; small, since one analysis can take long
 * @param scratchDir where fetched images are kept while analysed; empty for the system temp dir
 * @param analysisTimeout longest one analysis may run; a slower one is abandoned and retried like a transient
 * failure (the request is acknowledged, so the broker never sees it unacknowledged for longer)
 * @param brokerAckTimeout the broker's consumer acknowledgement timeout (RabbitMQ {@code consumer_timeout},
 * 30 min by default); a delivery left unacknowledged longer makes the broker close the channel and redeliver
 * everything in flight on it
 * @param shutdownTimeout how long a stopping worker lets in-flight analyses finish; what is left unacknowledged
 * after it is redelivered by the broker
 * @param analyzerVersion version of the analysis rules this worker applies; results are unique per instance,
 * content and version, so a worker with a new version re-analysing an image adds a new result version
 */
@Validated
@ConfigurationProperties("dicomflow.worker")
public record WorkerProperties(@DefaultValue("0") @Min(0) int concurrency, @DefaultValue("2") @Min(1) int prefetch,
		Path scratchDir, @DefaultValue("10m") @NotNull Duration analysisTimeout,
		@DefaultValue("30m") @NotNull Duration brokerAckTimeout, @DefaultValue("30s") @NotNull Duration shutdownTimeout,
		@DefaultValue(AnalyzerVersion.CURRENT) @NotBlank String analyzerVersion) {

	public int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * A prefetched request waits for the ones ahead of it on the same consumer: the last of {@code prefetch}
	 * requests is acknowledged at worst {@code prefetch × analysisTimeout} after delivery (plus fetch and
	 * commit), which has to stay well inside the broker's timeout.
	 */
	@AssertTrue(message = "prefetch × analysis-timeout must stay below 80% of broker-ack-timeout")
	public boolean isInsideAckTimeout() {
		return this.analysisTimeout.multipliedBy(this.prefetch).toMillis() < this.brokerAckTimeout.toMillis() * 0.8;
	}

}
