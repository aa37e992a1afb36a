package io.dicomflow.upload.quarantine;

import java.net.URI;
import java.util.List;

import io.dicomflow.common.identity.Roles;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The quarantine, for admins only. Anyone else gets the same 404 as for a path that does not exist, so the
 * endpoint does not announce itself.
 */
@RestController
class QuarantineController {

	private final Quarantine quarantine;

	QuarantineController(Quarantine quarantine) {
		this.quarantine = quarantine;
	}

	@GetMapping("/api/admin/quarantine")
	List<Quarantine.Entry> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, Authentication user) {
		if (user == null || !Roles.isAdmin(user)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
			problem.setType(URI.create("https://dicomflow.io/problems/not-found"));
			problem.setTitle("Not found");
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		}
		int limit = Math.min(Math.max(size, 1), 500);
		return this.quarantine.list(limit, Math.max(page, 0) * limit);
	}

}
