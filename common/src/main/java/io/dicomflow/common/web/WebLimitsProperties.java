package io.dicomflow.common.web;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxJsonBody largest JSON request body (Results API elements, sessions, preferences); larger is 413. At
 * most 1 GB (the body is held in memory while parsed).
 */
@Validated
@ConfigurationProperties("dicomflow.web")
public record WebLimitsProperties(@DefaultValue("16MB") @NotNull DataSize maxJsonBody) {

	public WebLimitsProperties {
		if (maxJsonBody.toBytes() < 1 || maxJsonBody.toBytes() > (1L << 30)) {
			throw new IllegalArgumentException("dicomflow.web.max-json-body must be between 1 byte and 1GB");
		}
	}

}
