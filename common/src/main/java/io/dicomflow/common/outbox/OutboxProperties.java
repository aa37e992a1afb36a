package io.dicomflow.common.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outbox relay settings.
 *
 * @param pollInterval how often the relay looks for pending rows when nothing woke it up
 * @param batchSize rows published per transaction
 * @param confirmTimeout how long to wait for the broker's confirm before counting the publish as failed
 * @param initialBackoff delay before the second attempt of a failed row; doubles per attempt
 * @param maxBackoff upper bound of that delay
 */
@Validated
@ConfigurationProperties("dicomflow.outbox")
public record OutboxProperties(@DefaultValue("500ms") @NotNull Duration pollInterval,
		@DefaultValue("100") @Min(1) int batchSize, @DefaultValue("10s") @NotNull Duration confirmTimeout,
		@DefaultValue("200ms") @NotNull Duration initialBackoff, @DefaultValue("30s") @NotNull Duration maxBackoff) {

	/** The delay before attempt number {@code attempts + 1}. */
	Duration backoff(int attempts) {
		long millis = this.initialBackoff.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
		return Duration.ofMillis(Math.min(millis, this.maxBackoff.toMillis()));
	}

}
