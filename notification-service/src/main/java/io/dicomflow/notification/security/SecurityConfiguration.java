package io.dicomflow.notification.security;

import io.dicomflow.common.identity.BearerTokenSecurity;
import io.dicomflow.common.identity.Roles;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The WebSocket handshake is open: the STOMP session is authenticated by the bearer token in its CONNECT frame
 * (see {@code push.StompAuthentication}). The HTTP API takes bearer tokens. The actuator lives on the separate
 * management port: health and the Prometheus scrape are open there, other endpoints are for admins.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain notificationSecurity(HttpSecurity http, JwtAuthenticationConverter tokens) throws Exception {
		return BearerTokenSecurity.statelessBearerTokens(http, tokens)
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/ws", "/ws/**", "/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				.requestMatchers("/actuator/**", "/api/admin/**")
				.hasRole(Roles.ADMIN)
				.requestMatchers("/api/**")
				.hasAnyRole(Roles.UPLOADER, Roles.USER, Roles.ADMIN)
				.anyRequest()
				.denyAll())
			.build();
	}

}
