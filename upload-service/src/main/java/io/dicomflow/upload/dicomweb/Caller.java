package io.dicomflow.upload.dicomweb;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Whose instances a request may see: the caller's own, or everyone's for an admin.
 *
 * @param owner the caller's name
 * @param admin whether the caller has the admin role
 */
record Caller(String owner, boolean admin) {

	static Caller of(HttpServletRequest request) {
		return new Caller(request.getUserPrincipal().getName(), request.isUserInRole("ADMIN"));
	}

	/**
	 * The caller, if it may read stored instances: an upload-only account ({@code uploader}) may store but never
	 * read images or their attributes.
	 */
	static Caller reader(HttpServletRequest request) {
		if (request.isUserInRole("UPLOADER") && !request.isUserInRole("USER") && !request.isUserInRole("ADMIN")) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
					"an upload-only account cannot read stored instances");
			problem.setTitle("Forbidden");
			throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
		}
		return of(request);
	}

}
