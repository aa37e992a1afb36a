package io.dicomflow.upload.results;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The RFC 9457 problems of the Results API; each has its own type URI, documented in docs/results-api.md. */
final class ElementProblems {

	static final URI NOT_FOUND = URI.create("https://dicomflow.io/problems/not-found");

	static final URI DUPLICATE_ID = URI.create("https://dicomflow.io/problems/duplicate-element-id");

	static final URI AMBIGUOUS_ID = URI.create("https://dicomflow.io/problems/ambiguous-element-id");

	static final URI BAD_NUMBER = URI.create("https://dicomflow.io/problems/bad-number");

	static final URI EMPTY_DATA = URI.create("https://dicomflow.io/problems/empty-data");

	static final URI INVALID_ELEMENT = URI.create("https://dicomflow.io/problems/invalid-element");

	static final URI INVALID_QUERY = URI.create("https://dicomflow.io/problems/invalid-query");

	private ElementProblems() {
	}

	static ErrorResponseException notFound(String id) {
		return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", "no element " + quote(id), Map.of("id", id));
	}

	/** The same answer for a missing element and one without a thumbnail, so neither reveals the other. */
	static ErrorResponseException noThumbnail(String id) {
		return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", "no thumbnail of element " + quote(id),
				Map.of("id", id));
	}

	static ErrorResponseException duplicate(String id, String detail) {
		return problem(HttpStatus.CONFLICT, DUPLICATE_ID, "Duplicate element id", detail, Map.of("id", id));
	}

	/** An admin named an id several owners have (ids are per owner): which one is meant is not guessed. */
	static ErrorResponseException ambiguous(String id) {
		return problem(HttpStatus.CONFLICT, AMBIGUOUS_ID, "Ambiguous element id",
				"several owners have an element " + quote(id) + ": name one with ?owner=", Map.of("id", id));
	}

	static ErrorResponseException invalid(String detail, Map<String, Object> properties) {
		return problem(HttpStatus.BAD_REQUEST, INVALID_ELEMENT, "Invalid element", detail, properties);
	}

	static ErrorResponseException invalidQuery(String detail) {
		return problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid query", detail, Map.of());
	}

	static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail,
			Map<String, Object> properties) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		properties.forEach(problem::setProperty);
		return new ErrorResponseException(status, problem, null);
	}

	static String quote(String s) {
		return "\"" + s + "\"";
	}

}
