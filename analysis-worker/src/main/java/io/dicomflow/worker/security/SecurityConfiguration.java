package io.dicomflow.worker.security;

import io.dicomflow.common.identity.BearerTokenSecurity;
import io.dicomflow.common.identity.Roles;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The worker's HTTP side: admin operations for admins only. The actuator lives on the separate management port:
 * health and the Prometheus scrape are open there, other endpoints are for admins.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain workerSecurity(HttpSecurity http, JwtAuthenticationConverter tokens) throws Exception {
		return BearerTokenSecurity.statelessBearerTokens(http, tokens)
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				.requestMatchers("/actuator/**", "/api/admin/**")
				.hasRole(Roles.ADMIN)
				.anyRequest()
				.denyAll())
			.build();
	}

}
