package io.dicomflow.upload.audit;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.dicomflow.common.audit.AuditTrail;
import io.dicomflow.common.identity.Roles;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The access audit trail for admins: {@code GET /api/admin/audit?user=&resource=&from=&to=&page=&size=}, newest
 * first. Anyone else gets 403 (the route is documented, so there is nothing to hide by answering 404). Every
 * query is itself audited, as a READ of the resource type {@code audit}.
 */
@RestController
class AuditController {

	static final URI FORBIDDEN = URI.create("https://dicomflow.io/problems/forbidden");

	static final URI INVALID_QUERY = URI.create("https://dicomflow.io/problems/invalid-query");

	private final AuditTrail trail;

	AuditController(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping({ "/api/admin/audit", "/api/admin/audit/" })
	AuditTrail.Page query(@RequestParam(required = false) String user, @RequestParam(required = false) String resource,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			Authentication caller) {
		if (!Roles.isAdmin(caller)) {
			throw problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "the audit trail is for admins only");
		}
		if (page < 0 || size < 1 || size > 500) {
			throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid query",
					"page must be 0 or more and size between 1 and 500");
		}
		return this.trail.query(blankToNull(user), blankToNull(resource), instant("from", from), instant("to", to),
				page, size);
	}

	private static Instant instant(String name, String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid query",
					name + " must be an ISO-8601 instant such as 2026-12-03T10:15:30Z");
		}
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text;
	}

	private static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
