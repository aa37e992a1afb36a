package io.dicomflow.common.startup;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a starting service waits for its database.
 *
 * @param databaseWait how long the first migration may keep failing to connect before start-up fails (the
 * process then exits, as before); long enough to ride out a database restart or failover
 * @param databaseRetryInterval pause between two attempts
 */
@Validated
@ConfigurationProperties("dicomflow.startup")
public record StartupProperties(@DefaultValue("10m") @NotNull Duration databaseWait,
		@DefaultValue("2s") @NotNull Duration databaseRetryInterval) {
}
