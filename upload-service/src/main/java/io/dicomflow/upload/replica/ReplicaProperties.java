package io.dicomflow.upload.replica;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The read replica. Without {@code url} there is no routing at all and every query uses the primary.
 *
 * @param url JDBC URL of a streaming replica (hot standby) of the primary
 * @param username user on the replica; the primary's when empty
 * @param password password on the replica; the primary's when {@code username} is empty
 * @param connectTimeout longest wait for a replica connection before the read goes to the primary
 * @param retryAfter how long reads stay on the primary after the replica failed, before it is tried again
 * @param maximumPoolSize connections to the replica
 */
@Validated
@ConfigurationProperties("dicomflow.datasource.replica")
public record ReplicaProperties(@NotBlank String url, String username, String password,
		@DefaultValue("1s") Duration connectTimeout, @DefaultValue("5s") Duration retryAfter,
		@DefaultValue("5") @Min(1) int maximumPoolSize) {
}
