package io.dicomflow.common.identity;

import io.dicomflow.common.audit.AccessAuditFilter;
import io.dicomflow.common.audit.AuditTrail;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * What every service's HTTP security shares: bearer JWTs read by {@link JwtConfiguration}'s converter, no
 * session and no CSRF token (no cookie ever authenticates a request, so there is nothing to forge), and the
 * access audit (when the service has an {@link AuditTrail}) right after the security context is set up, so
 * that it sees the user and the final status of every answer, refusals by the security filters included. Those
 * refusals (401, 403) answer problem+json with the RFC 6750 challenge ({@link SecurityRefusals}).
 */
public final class BearerTokenSecurity {

	private BearerTokenSecurity() {
	}

	public static HttpSecurity statelessBearerTokens(HttpSecurity http, JwtAuthenticationConverter tokens)
			throws Exception {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		AuditTrail trail = (context != null) ? context.getBeanProvider(AuditTrail.class).getIfAvailable() : null;
		if (trail != null) {
			http.addFilterAfter(new AccessAuditFilter(trail), SecurityContextHolderFilter.class);
		}
		SecurityRefusals refusals = new SecurityRefusals();
		return http
			.oauth2ResourceServer((resource) -> resource.jwt((jwt) -> jwt.jwtAuthenticationConverter(tokens))
				.authenticationEntryPoint(refusals)
				.accessDeniedHandler(refusals))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(refusals)
				.accessDeniedHandler(refusals))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
	}

}
