package io.dicomflow.worker;

import io.dicomflow.common.audit.AuditConfiguration;
import io.dicomflow.common.identity.JwtConfiguration;
import io.dicomflow.common.messaging.MessagingConfiguration;
import io.dicomflow.common.outbox.OutboxConfiguration;
import io.dicomflow.common.storage.StorageConfiguration;
import io.dicomflow.common.web.WebLimitsConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The analysis worker: takes {@code ImageUploaded} events from the work queue, analyses the stored image and
 * records the result together with its {@code AnalysisCompleted}/{@code AnalysisFailed} event.
 */
@SpringBootApplication
@Import({ AuditConfiguration.class, StorageConfiguration.class, MessagingConfiguration.class, OutboxConfiguration.class,
		JwtConfiguration.class, WebLimitsConfiguration.class })
public class AnalysisWorkerApplication {

	public static final String CONFIG_NAME = "analysis-worker";

	public static void main(String[] args) {
		start(args);
	}

	public static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(AnalysisWorkerApplication.class)
			.properties("spring.config.name=" + CONFIG_NAME)
			.run(args);
	}

}
