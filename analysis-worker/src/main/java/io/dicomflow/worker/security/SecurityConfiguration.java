package io.dicomflow.worker.security;

import io.dicomflow.common.identity.BearerTokenSecurity;
import io.dicomflow.common.identity.Roles;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The worker's HTTP side: admin operations for admins only. The actuator lives on the separate management port:
 * health and the Prometheus scrape are open there, other endpoints are for admins. The portal's admin view calls
 * the admin API from the portal's origin, which {@code dicomflow.admin.allowed-origins} lets through CORS.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminCorsProperties.class)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain workerSecurity(HttpSecurity http, JwtAuthenticationConverter tokens,
			AdminCorsProperties cors) throws Exception {
		return BearerTokenSecurity.statelessBearerTokens(http, tokens)
			.cors((config) -> config.configurationSource(adminCors(cors)))
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				.requestMatchers("/actuator/**", "/api/admin/**")
				.hasRole(Roles.ADMIN)
				.anyRequest()
				.denyAll())
			.build();
	}

	private static UrlBasedCorsConfigurationSource adminCors(AdminCorsProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!properties.allowedOrigins().isEmpty()) {
			CorsConfiguration cors = new CorsConfiguration();
			cors.setAllowedOriginPatterns(properties.allowedOrigins());
			cors.addAllowedMethod("GET");
			cors.addAllowedMethod("POST");
			cors.addAllowedHeader("Authorization");
			cors.addAllowedHeader("Content-Type");
			source.registerCorsConfiguration("/api/admin/**", cors);
		}
		return source;
	}

}
