package io.dicomflow.common.audit;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audits every request to a route that reads or changes patient data ({@code /api/**} and
 * {@code /dicomweb/**}, except the public {@code /api/config}) once it has been answered: who (the token's
 * user), the action (from the method), the resource (type and id from the matched route pattern, e.g.
 * {@code /api/uploads/{id}} → upload and its id), the outcome (from the status: another owner's resource
 * answers 404 and is recorded as MISSING, a role that may not as DENIED) and the client's address.
 *
 * <p>It sits in the security filter chain right after the security context is set up (see
 * {@code BearerTokenSecurity}), so that on the way back the authenticated user is still known and the status
 * set by the authorization filters (401, 403) and by the handlers is final. The query string is never
 * recorded: QIDO matching keys such as {@code PatientName} travel in it.
 */
public class AccessAuditFilter extends OncePerRequestFilter {

	// HandlerMapping's attributes, by name: this module does not depend on Spring MVC
	static final String PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

	static final String VARIABLES = "org.springframework.web.servlet.HandlerMapping.uriTemplateVariables";

	private final AuditTrail trail;

	public AccessAuditFilter(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !(path.startsWith("/api/") || path.startsWith("/dicomweb/") || path.equals("/dicomweb"))
				|| path.equals("/api/config");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean failed = true;
		try {
			chain.doFilter(request, response);
			failed = false;
		}
		finally {
			int status = failed && response.getStatus() < 400 ? 500 : response.getStatus();
			record(request, status);
		}
	}

	private void record(HttpServletRequest request, int status) {
		Object pattern = request.getAttribute(PATTERN);
		String route = (pattern != null) ? pattern.toString()
				: request.getRequestURI().substring(request.getContextPath().length());
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (request.getAttribute(VARIABLES) instanceof Map<?, ?> map)
				? (Map<String, String>) map : Map.of();
		Resource resource = Resource.of(route, variables, pattern != null);
		this.trail.record(subject(), AuditRecord.Action.of(request.getMethod()), resource.type(), resource.id(),
				AuditRecord.Outcome.of(status), status, request.getMethod(), route, request.getRemoteAddr());
	}

	private static String subject() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null
				|| "anonymousUser".equals(authentication.getName())) {
			return "anonymous";
		}
		return authentication.getName();
	}

	/**
	 * What a route is about: the last path variable that follows a known collection name, e.g.
	 * {@code /dicomweb/studies/{study}/series/{series}/metadata} → (series, its UID).
	 */
	record Resource(String type, String id) {

		private static final Map<String, String> COLLECTIONS = Map.ofEntries(Map.entry("uploads", "upload"),
				Map.entry("sessions", "upload-session"), Map.entry("tus", "tus-upload"),
				Map.entry("files", "upload-file"), Map.entry("elements", "element"), Map.entry("results", "result"),
				Map.entry("studies", "study"), Map.entry("series", "series"), Map.entry("instances", "instance"),
				Map.entry("audit", "audit"), Map.entry("quarantine", "quarantine"), Map.entry("quotas", "quota"), Map.entry("parked", "parked-request"),
				Map.entry("events", "event"), Map.entry("preferences", "notification-preferences"));

		static Resource of(String route, Map<String, String> variables, boolean matched) {
			String type = null;
			String id = null;
			String collection = null;
			String previous = null;
			for (String segment : route.split("/")) {
				if (segment.isEmpty()) {
					continue;
				}
				if (COLLECTIONS.containsKey(segment)) {
					collection = COLLECTIONS.get(segment);
				}
				else if (previous != null && COLLECTIONS.containsKey(previous)) {
					// the segment after a collection name identifies one of its members
					type = COLLECTIONS.get(previous);
					id = (matched && segment.startsWith("{") && segment.endsWith("}"))
							? variables.get(segment.substring(1, segment.length() - 1).split(":", 2)[0]) : segment;
				}
				previous = segment;
			}
			if (type == null) {
				type = (collection != null) ? collection : "other";
			}
			return new Resource(type, id);
		}

	}

}
