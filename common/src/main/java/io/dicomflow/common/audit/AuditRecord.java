package io.dicomflow.common.audit;

import java.time.Instant;

/**
 * One audited access.
 *
 * @param id row id (null before it is written)
 * @param occurredAt when the answer was given
 * @param service the service that answered ({@code spring.application.name})
 * @param subject the authenticated user, {@code anonymous} without a valid token, {@code system:<job>} for
 * the product's own jobs (retention)
 * @param action what the request does to the resource
 * @param resourceType what kind of resource ({@code upload}, {@code study}, {@code element}, ...)
 * @param resourceId the resource's id as it appears in the path (UUID, element id or UID); null for lists
 * @param outcome how it was answered
 * @param status the HTTP status (0 for jobs)
 * @param method the HTTP method (or the job's name)
 * @param route the matched route pattern (never the query string)
 * @param remoteAddress the client's address as the container sees it
 */
public record AuditRecord(Long id, Instant occurredAt, String service, String subject, Action action,
		String resourceType, String resourceId, Outcome outcome, int status, String method, String route,
		String remoteAddress) {

	/** What a request does to its resource. */
	public enum Action {

		READ, CREATE, UPDATE, DELETE;

		static Action of(String method) {
			return switch (method) {
				case "GET", "HEAD", "OPTIONS" -> READ;
				case "POST" -> CREATE;
				case "PUT", "PATCH" -> UPDATE;
				case "DELETE" -> DELETE;
				default -> READ;
			};
		}

	}

	/** How it was answered. */
	public enum Outcome {

		/** 2xx/3xx. */
		ALLOWED,
		/** 401/403: no or a bad token, or a role that may not. */
		DENIED,
		/** 404: absent, or another owner's (which answers the same). */
		MISSING,
		/** other 4xx: an invalid request. */
		REFUSED,
		/** 5xx or an exception. */
		FAILED;

		static Outcome of(int status) {
			if (status < 400) {
				return ALLOWED;
			}
			if (status == 401 || status == 403) {
				return DENIED;
			}
			if (status == 404) {
				return MISSING;
			}
			return (status < 500) ? REFUSED : FAILED;
		}

	}

}
