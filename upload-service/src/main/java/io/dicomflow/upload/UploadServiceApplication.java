package io.dicomflow.upload;

import io.dicomflow.common.audit.AuditConfiguration;
import io.dicomflow.common.identity.IdentityConfiguration;
import io.dicomflow.common.messaging.MessagingConfiguration;
import io.dicomflow.common.outbox.OutboxConfiguration;
import io.dicomflow.common.storage.StorageConfiguration;
import io.dicomflow.common.web.WebLimitsConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The upload service: accepts DICOM files over HTTP, validates them, stores them in S3 and announces them
 * to the analysis workers through the outbox.
 */
@SpringBootApplication
@Import({ AuditConfiguration.class, StorageConfiguration.class, MessagingConfiguration.class, OutboxConfiguration.class,
		IdentityConfiguration.class, WebLimitsConfiguration.class })
public class UploadServiceApplication {

	/** Config file base name; every service has its own so that all three can share one classpath. */
	public static final String CONFIG_NAME = "upload-service";

	public static void main(String[] args) {
		start(args);
	}

	public static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(UploadServiceApplication.class)
			.properties("spring.config.name=" + CONFIG_NAME)
			.run(args);
	}

}
