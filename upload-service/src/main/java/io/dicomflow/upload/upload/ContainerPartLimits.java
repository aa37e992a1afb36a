package io.dicomflow.upload.upload;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The servlet container's part and parameter counts follow {@link UploadProperties#maxParts()} (the configured
 * files plus a few form fields) instead of a fixed figure far above it: a multipart body the container parses
 * (the session routes) cannot make it allocate for more parts than a request may carry files.
 */
@Configuration(proxyBeanMethods = false)
class ContainerPartLimits {

	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> partCountFollowsMaxFiles(UploadProperties limits) {
		// runs after Boot's own customizer (order 0), so its connector settings are the last word
		return (factory) -> factory.addConnectorCustomizers((connector) -> {
			connector.setMaxPartCount(limits.maxParts());
			connector.setMaxParameterCount(limits.maxParts());
		});
	}

}
