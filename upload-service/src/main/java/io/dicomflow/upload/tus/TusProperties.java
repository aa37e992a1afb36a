package io.dicomflow.upload.tus;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param spoolDirectory where incomplete uploads are kept (a volume shared by every instance, or sticky routing)
 * @param maxSize largest file a tus upload may declare; the only upper limit
 */
@Validated
@ConfigurationProperties("dicomflow.upload.tus")
public record TusProperties(Path spoolDirectory, @DefaultValue("100GB") DataSize maxSize) {

	public TusProperties {
		if (spoolDirectory == null) {
			spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "dicomflow-tus");
		}
	}

}
