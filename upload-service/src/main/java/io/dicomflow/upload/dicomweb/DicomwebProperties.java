package io.dicomflow.upload.dicomweb;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * DICOMweb settings ({@code dicomflow.dicomweb.*}).
 *
 * @param maxParts most parts one STOW-RS request may carry (a larger request is malformed: 400)
 * @param spoolDirectory where STOW-RS parts are written while a request is processed; the JVM's temporary
 * directory when unset
 * @param defaultLimit QIDO-RS results per response when the request has no {@code limit}
 * @param maxLimit largest {@code limit} honoured; larger ones are reduced to it
 */
@Validated
@ConfigurationProperties("dicomflow.dicomweb")
public record DicomwebProperties(@DefaultValue("500") @Min(1) int maxParts, Path spoolDirectory,
		@DefaultValue("100") @Min(1) int defaultLimit, @DefaultValue("1000") @Min(1) @Max(100000) int maxLimit) {

	Path spool() {
		return (this.spoolDirectory != null) ? this.spoolDirectory : Path.of(System.getProperty("java.io.tmpdir"));
	}

}
