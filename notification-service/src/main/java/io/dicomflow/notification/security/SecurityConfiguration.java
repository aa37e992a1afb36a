package io.dicomflow.notification.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The WebSocket handshake is open: the session is authenticated at STOMP CONNECT (see
 * {@code push.StompAuthentication}); health and metrics are public; everything else is refused.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain notificationSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/ws", "/ws/**", "/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				.anyRequest()
				.denyAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

}
