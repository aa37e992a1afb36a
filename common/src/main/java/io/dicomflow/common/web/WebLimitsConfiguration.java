package io.dicomflow.common.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Request limits every service's HTTP side shares. The JSON body limit runs after Spring Security's filter chain
 * (a caller without a valid token is refused before any body is read) and before any handler parses the body.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebLimitsProperties.class)
public class WebLimitsConfiguration {

	@Bean
	FilterRegistrationBean<JsonBodyLimit> jsonBodyLimit(WebLimitsProperties properties, JsonMapper json) {
		FilterRegistrationBean<JsonBodyLimit> registration = new FilterRegistrationBean<>(
				new JsonBodyLimit((int) properties.maxJsonBody().toBytes(), json));
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
		return registration;
	}

}
