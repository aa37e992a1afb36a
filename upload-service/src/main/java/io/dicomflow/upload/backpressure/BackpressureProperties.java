package io.dicomflow.upload.backpressure;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When new uploads are turned away with 503.
 *
 * @param enabled whether the gate is on
 * @param maxOutboxPending events not yet published by this database's outbox above which uploads wait
 * @param maxQueueDepth messages waiting in the analysis queue above which uploads wait
 * @param retryAfter what {@code Retry-After} tells the client
 * @param checkInterval how long one measurement is reused (the gate must not load the database or broker)
 */
@Validated
@ConfigurationProperties("dicomflow.upload.backpressure")
public record BackpressureProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10000") @Min(0) long maxOutboxPending, @DefaultValue("10000") @Min(0) long maxQueueDepth,
		@DefaultValue("30s") @NotNull Duration retryAfter, @DefaultValue("1s") @NotNull Duration checkInterval) {

}
