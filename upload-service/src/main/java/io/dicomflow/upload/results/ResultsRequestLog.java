package io.dicomflow.upload.results;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.ErrorResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * One log line for every request of the Results API (the brief's Task 4 asks to log requests, responses and
 * errors): method, route, a hash of the element id, status, owner, duration, and for an error its problem
 * type and exception class. Never a body, a query string, an exception message or a raw element id: bodies
 * and filters carry the data, and an id is whatever the client chose, so it could be a patient's.
 *
 * <p>Runs before Spring Security, so refused requests (401, 403) are logged too. The caller is read after
 * the chain from the security context the bearer-token filter keeps as a request attribute (the context
 * holder is already cleared by then).
 */
final class ResultsRequestLog extends OncePerRequestFilter {

	/** Its own logger name, so the request log can be routed or silenced apart from the code's logs. */
	static final Logger LOG = LoggerFactory.getLogger("io.dicomflow.upload.results.requests");

	static final String BASE = "/api/elements";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		Throwable escaped = null;
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			escaped = ex;
			throw ex;
		}
		finally {
			log(request, response, escaped, (System.nanoTime() - start) / 1_000_000);
		}
	}

	private static void log(HttpServletRequest request, HttpServletResponse response, Throwable escaped,
			long durationMillis) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		// an exception that escaped the chain becomes a 500 further out, whatever the response says now
		int status = escaped != null ? 500 : response.getStatus();
		Throwable failure = escaped != null ? escaped : handledFailure(request);
		String line = "results-api " + request.getMethod() + " " + route(path) + idHash(path) + " status=" + status
				+ " owner=" + owner(request) + " durationMs=" + durationMillis + " problem=" + problemType(failure)
				+ " error=" + (failure == null ? "-" : failure.getClass().getSimpleName());
		if (status >= 500) {
			LOG.warn(line);
		}
		else {
			LOG.info(line);
		}
	}

	/** The exception Spring MVC turned into the response (a problem), if any. */
	private static Throwable handledFailure(HttpServletRequest request) {
		if (request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE) instanceof Throwable handled) {
			return handled;
		}
		return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error ? error : null;
	}

	/** The problem's type URI ({@code about:blank} for Spring's default problems), or {@code -}. */
	static String problemType(Throwable failure) {
		if (failure instanceof ErrorResponse problem) {
			URI type = problem.getBody().getType();
			return type == null ? "about:blank" : type.toString();
		}
		return "-";
	}

	/** The user name of the caller (owner names are user names, not patient data), or {@code -}. */
	private static String owner(HttpServletRequest request) {
		Authentication authentication = null;
		if (request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME)
				instanceof SecurityContext context) {
			authentication = context.getAuthentication();
		}
		if (authentication == null) {
			authentication = SecurityContextHolder.getContext().getAuthentication();
		}
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return "-";
		}
		return authentication.getName();
	}

	/**
	 * The route the path takes, with the element id replaced: {@code /api/elements}, {@code /api/elements/{id}},
	 * {@code /api/elements/{id}/versions}, {@code /api/elements/{id}/thumbnail}; anything else under the base is {@code /api/elements/{id}/…}.
	 */
	static String route(String path) {
		String[] segments = segments(path);
		if (segments.length == 0) {
			return BASE;
		}
		if (segments.length == 1) {
			return BASE + "/{id}";
		}
		boolean named = segments.length == 2 && (segments[1].equals("versions") || segments[1].equals("thumbnail"));
		return BASE + "/{id}/" + (named ? segments[1] : "…");
	}

	/** {@code  id#=} and the first 12 hex digits of the SHA-256 of the element id, when the path names one. */
	static String idHash(String path) {
		String[] segments = segments(path);
		if (segments.length == 0) {
			return "";
		}
		String id;
		try {
			id = URLDecoder.decode(segments[0], StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// a malformed %-escape: hash it as sent
			id = segments[0];
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
			return " id#=" + HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	private static String[] segments(String path) {
		String rest = path.startsWith(BASE) ? path.substring(BASE.length()) : path;
		return java.util.Arrays.stream(rest.split("/")).filter((segment) -> !segment.isEmpty()).toArray(String[]::new);
	}

}
