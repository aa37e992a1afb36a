package io.dicomflow.upload.tus;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param spoolDirectory where incomplete uploads are kept (a volume shared by every instance, or sticky routing)
 * @param maxSize largest file a tus upload may declare, if lower than {@code dicomflow.upload.max-file-size}
 * (which always applies); unset: that file limit
 * @param expireAfter an upload not completed this long after its creation is deleted (spool file and row)
 * @param cleanupInterval how often expired uploads are looked for
 * @param maxIncompletePerUser most incomplete uploads one user may have at once
 * @param maxIncompleteBytesPerUser most bytes the incomplete uploads of one user may declare together (what they
 * may spool on the service's disk)
 */
@Validated
@ConfigurationProperties("dicomflow.upload.tus")
public record TusProperties(Path spoolDirectory, DataSize maxSize, @DefaultValue("24h") @NotNull Duration expireAfter,
		@DefaultValue("10m") @NotNull Duration cleanupInterval, @DefaultValue("20") @Min(1) int maxIncompletePerUser,
		@DefaultValue("20GB") @NotNull DataSize maxIncompleteBytesPerUser) {

	public TusProperties {
		if (spoolDirectory == null) {
			spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "dicomflow-tus");
		}
	}

	/** The largest Upload-Length accepted: the file limit of every route, or this route's own if lower. */
	long maxLength(DataSize maxFileSize) {
		return (this.maxSize != null) ? Math.min(this.maxSize.toBytes(), maxFileSize.toBytes()) : maxFileSize.toBytes();
	}

}
