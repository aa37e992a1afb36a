package io.dicomflow.worker.analysis;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings.
 *
 * @param concurrency concurrent consumers; 0 means one per available processor
 * @param prefetch unacknowledged messages per consumer; small, since one analysis can take long
 * @param scratchDir where fetched images are kept while analysed; empty for the system temp dir
 */
@Validated
@ConfigurationProperties("dicomflow.worker")
public record WorkerProperties(@DefaultValue("0") @Min(0) int concurrency, @DefaultValue("2") @Min(1) int prefetch,
		Path scratchDir) {

	public int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors();
	}

}
