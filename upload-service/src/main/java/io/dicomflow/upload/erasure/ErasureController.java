package io.dicomflow.upload.erasure;

import java.net.URI;
import java.util.UUID;

import io.dicomflow.common.identity.Roles;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /api/uploads/{id}} and {@code DELETE /dicomweb/studies/{study}}: 204 once everything is gone;
 * 404 for what does not exist or is another owner's (an admin may erase anyone's); 409 while a file is still
 * being analysed or notified (see {@link Erasure}). The access audit records each request (DELETE, its
 * resource and outcome).
 */
@RestController
class ErasureController {

	static final URI NOT_FOUND = URI.create("https://dicomflow.io/problems/not-found");

	static final URI NOT_SETTLED = URI.create("https://dicomflow.io/problems/not-settled");

	private final Erasure erasure;

	ErasureController(Erasure erasure) {
		this.erasure = erasure;
	}

	@DeleteMapping({ "/api/uploads/{id}", "/api/uploads/{id}/" })
	ResponseEntity<Void> deleteUpload(@PathVariable String id, Authentication caller) {
		UUID uploadId;
		try {
			uploadId = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", "no upload " + id);
		}
		return answer(this.erasure.eraseUpload(uploadId, caller.getName(), Roles.isAdmin(caller)), "upload " + id);
	}

	@DeleteMapping("/dicomweb/studies/{study}")
	ResponseEntity<Void> deleteStudy(@PathVariable String study, Authentication caller) {
		return answer(this.erasure.eraseStudy(study, caller.getName(), Roles.isAdmin(caller)), "study " + study);
	}

	private static ResponseEntity<Void> answer(Erasure.Outcome outcome, String what) {
		if (outcome instanceof Erasure.Outcome.NotSettled unsettled) {
			throw problem(HttpStatus.CONFLICT, NOT_SETTLED, "Not settled", unsettled.files() + " files of " + what
					+ " are still being analysed or notified; retry once they are");
		}
		if (outcome instanceof Erasure.Outcome.Missing) {
			throw problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", "no " + what);
		}
		return ResponseEntity.noContent().build();
	}

	private static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
