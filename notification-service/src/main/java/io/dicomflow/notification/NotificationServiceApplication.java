package io.dicomflow.notification;

import io.dicomflow.common.audit.AuditConfiguration;
import io.dicomflow.common.identity.IdentityConfiguration;
import io.dicomflow.common.messaging.MessagingConfiguration;
import io.dicomflow.common.outbox.OutboxConfiguration;
import io.dicomflow.common.web.WebLimitsConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The notification service: tells uploaders that their analyses are ready, over STOMP/WebSocket to every
 * open session of theirs and by email.
 */
@SpringBootApplication
@EnableConfigurationProperties(NotificationProperties.class)
@Import({ AuditConfiguration.class, MessagingConfiguration.class, IdentityConfiguration.class, OutboxConfiguration.class,
		WebLimitsConfiguration.class })
public class NotificationServiceApplication {

	public static final String CONFIG_NAME = "notification-service";

	public static void main(String[] args) {
		start(args);
	}

	public static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(NotificationServiceApplication.class)
			.properties("spring.config.name=" + CONFIG_NAME)
			.run(args);
	}

}
