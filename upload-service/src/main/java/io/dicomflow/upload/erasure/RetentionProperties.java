package io.dicomflow.upload.erasure;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long uploads are kept.
 *
 * @param maxAge uploads older than this are erased (with their images, results and feed entries); unset: kept
 * until deleted (the default — the period is the operator's decision, per purpose and jurisdiction)
 * @param interval how often the expiry runs
 * @param batch at most this many uploads per run (the next run continues)
 */
@Validated
@ConfigurationProperties("dicomflow.retention")
public record RetentionProperties(Duration maxAge, @DefaultValue("1h") @NotNull Duration interval,
		@DefaultValue("100") @Min(1) @Max(10_000) int batch) {

	public RetentionProperties {
		if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
			throw new IllegalArgumentException("dicomflow.retention.max-age must be positive (leave it unset to keep)");
		}
		if (interval == null) {
			interval = Duration.ofHours(1);
		}
	}

}
