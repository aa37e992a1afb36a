package io.dicomflow.upload.security;

import io.dicomflow.common.identity.BearerTokenSecurity;
import io.dicomflow.common.identity.Roles;
import io.dicomflow.upload.portal.PortalContentSecurityPolicy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Stateless bearer-token security. The portal page (served with its Content-Security-Policy) is public; uploading
 * and following uploads needs any role; reading results and images needs {@code user} or {@code admin};
 * {@code /api/admin/**} needs {@code admin} here as well as in the handlers. Ownership (another user's data answers
 * 404) is checked where the data is read.
 * <p>
 * The actuator lives on the separate management port ({@code management.server.port}, which this same filter
 * chain guards): health and the Prometheus scrape are open there for probes and the scraper, every other
 * endpoint ({@code /actuator/metrics}, …) is for admins only.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, JwtAuthenticationConverter tokens,
			PortalContentSecurityPolicy portalPolicy) throws Exception {
		return BearerTokenSecurity.statelessBearerTokens(http, tokens)
			// the portal frames itself for a silent token renewal; nothing else may frame it
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(portalPolicy.policy()))
				.frameOptions((frames) -> frames.sameOrigin()))
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/", "/index.html", "/portal.js", "/portal.css", "/vendor/**", "/favicon.ico", "/api/config",
						"/actuator/health/**", "/actuator/prometheus", "/error")
				.permitAll()
				// admin-only routes of the upload service (the handlers check the role again)
				.requestMatchers("/actuator/**", "/api/admin/**")
				.hasRole(Roles.ADMIN)
				.requestMatchers(HttpMethod.POST, "/api/uploads/**", "/dicomweb/studies/**", "/dicomweb/studies")
				.hasAnyRole(Roles.UPLOADER, Roles.USER, Roles.ADMIN)
				.requestMatchers(HttpMethod.GET, "/api/uploads/**")
				.hasAnyRole(Roles.UPLOADER, Roles.USER, Roles.ADMIN)
				.anyRequest()
				.hasAnyRole(Roles.USER, Roles.ADMIN))
			.build();
	}

}
