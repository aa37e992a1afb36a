package io.dicomflow.common.identity;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * What every service's HTTP security shares: bearer JWTs read by {@link JwtConfiguration}'s converter, no
 * session and no CSRF token (no cookie ever authenticates a request, so there is nothing to forge).
 */
public final class BearerTokenSecurity {

	private BearerTokenSecurity() {
	}

	public static HttpSecurity statelessBearerTokens(HttpSecurity http, JwtAuthenticationConverter tokens)
			throws Exception {
		return http.oauth2ResourceServer((resource) -> resource.jwt((jwt) -> jwt.jwtAuthenticationConverter(tokens)))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
	}

}
