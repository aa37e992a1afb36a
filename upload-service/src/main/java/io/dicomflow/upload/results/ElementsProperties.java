package io.dicomflow.upload.results;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the Results API.
 *
 * @param maxValues most numbers one element may hold (a request body is held in memory while parsed)
 * @param maxBatch most elements one POST may create
 * @param maxPageSize largest page a list request gets, whatever {@code size} asks for
 */
@Validated
@ConfigurationProperties("dicomflow.results")
public record ElementsProperties(@DefaultValue("1000000") @Min(1) int maxValues,
		@DefaultValue("1000") @Min(1) int maxBatch, @DefaultValue("100") @Min(1) @Max(10000) int maxPageSize) {
}
