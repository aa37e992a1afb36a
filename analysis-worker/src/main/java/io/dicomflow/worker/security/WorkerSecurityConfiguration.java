package io.dicomflow.worker.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The worker's HTTP side is operations only: health and metrics are public, the admin API needs
 * {@code ROLE_ADMIN}, everything else is refused. The admin API only relies on Spring Security's
 * {@code Authentication}, so the way users authenticate (HTTP Basic against the user directory today) can
 * change without touching it.
 */
@Configuration(proxyBeanMethods = false)
class WorkerSecurityConfiguration {

	@Bean
	SecurityFilterChain workerSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				.requestMatchers("/api/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.denyAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
