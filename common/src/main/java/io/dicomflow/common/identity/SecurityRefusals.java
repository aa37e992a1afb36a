package io.dicomflow.common.identity;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The 401 and 403 answers of the security filters (no or a bad bearer token; a role a URL rule requires is
 * missing) as RFC 9457 problem+json, like every other error of the services. The RFC 6750 part (the
 * {@code WWW-Authenticate} challenge, with {@code error="invalid_token"} for a bad token) is left to Spring's
 * bearer-token handlers, which run first; this adds the body. The detail never repeats the token's claims or the
 * parser's message.
 */
final class SecurityRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final URI UNAUTHENTICATED = URI.create("https://dicomflow.io/problems/unauthenticated");

	/** The same type the services' own 403 answers use (e.g. the audit trail for a non-admin). */
	static final URI FORBIDDEN = URI.create("https://dicomflow.io/problems/forbidden");

	private static final JacksonJsonHttpMessageConverter JSON = new JacksonJsonHttpMessageConverter();

	private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler denial = new BearerTokenAccessDeniedHandler();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		this.challenge.commence(request, response, failure);
		String detail = (failure instanceof InvalidBearerTokenException)
				? "the bearer token is invalid or has expired" : "this request needs a valid bearer token";
		write(response, HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, "Unauthenticated", detail);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		this.denial.handle(request, response, denied);
		write(response, HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "your role may not use this route");
	}

	private static void write(HttpServletResponse response, HttpStatus status, URI type, String title,
			String detail) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		response.setStatus(status.value());
		ServletServerHttpResponse out = new ServletServerHttpResponse(response);
		JSON.write(problem, MediaType.APPLICATION_PROBLEM_JSON, out);
		out.flush();
	}

}
