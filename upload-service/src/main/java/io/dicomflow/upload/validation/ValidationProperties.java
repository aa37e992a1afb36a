package io.dicomflow.upload.validation;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param level which rules apply ({@code parse}, {@code standard}, {@code strict})
 * @param onFailure what to do with a file that breaks a content rule ({@code reject}, {@code quarantine})
 */
@Validated
@ConfigurationProperties("dicomflow.upload.validation")
public record ValidationProperties(@DefaultValue("standard") @NotNull ValidationLevel level,
		@DefaultValue("reject") @NotNull FailureAction onFailure) {

}
