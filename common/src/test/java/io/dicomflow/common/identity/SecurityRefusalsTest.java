package io.dicomflow.common.identity;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import static org.assertj.core.api.Assertions.assertThat;

/** The security filters' refusals are problem+json and keep the RFC 6750 challenge. */
class SecurityRefusalsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SecurityRefusals refusals = new SecurityRefusals();

	@Test
	void noTokenIs401ProblemJsonWithABearerChallenge() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.refusals.commence(new MockHttpServletRequest("GET", "/api/uploads"), response,
				new InsufficientAuthenticationException("Full authentication is required"));

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
		JsonNode body = JSON.readTree(response.getContentAsByteArray());
		assertThat(body.path("type").asString()).isEqualTo("https://dicomflow.io/problems/unauthenticated");
		assertThat(body.path("status").asInt()).isEqualTo(401);
		assertThat(body.path("detail").asString()).isEqualTo("this request needs a valid bearer token");
	}

	@Test
	void aBadTokenSaysInvalidTokenInTheChallengeAndNotWhyInTheBody() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.refusals.commence(new MockHttpServletRequest("GET", "/api/uploads"), response,
				new InvalidBearerTokenException("Jwt expired at 2026-01-01T00:00:00Z"));

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
		JsonNode body = JSON.readTree(response.getContentAsByteArray());
		assertThat(body.path("type").asString()).isEqualTo("https://dicomflow.io/problems/unauthenticated");
		assertThat(body.path("detail").asString()).isEqualTo("the bearer token is invalid or has expired");
	}

	@Test
	void aMissingRoleIs403ProblemJson() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.refusals.handle(new MockHttpServletRequest("GET", "/api/admin/quarantine"), response,
				new AccessDeniedException("Access Denied"));

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		JsonNode body = JSON.readTree(response.getContentAsByteArray());
		assertThat(body.path("type").asString()).isEqualTo("https://dicomflow.io/problems/forbidden");
		assertThat(body.path("title").asString()).isEqualTo("Forbidden");
		assertThat(body.path("status").asInt()).isEqualTo(403);
	}

}
