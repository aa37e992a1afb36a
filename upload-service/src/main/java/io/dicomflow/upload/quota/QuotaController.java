package io.dicomflow.upload.quota;

import java.net.URI;
import java.util.List;

import io.dicomflow.common.identity.Roles;
import io.dicomflow.upload.upload.UploadProperties;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Storage per owner against the per-user quota: {@code GET /api/admin/quotas?page=&size=}, largest users first.
 * Admins only: the URL rule in the security configuration refuses other roles first, and the handler checks
 * again so that a later change of the URL rules cannot open it (403; the route is documented, nothing to hide).
 */
@RestController
class QuotaController {

	static final URI FORBIDDEN = URI.create("https://dicomflow.io/problems/forbidden");

	static final URI INVALID_QUERY = URI.create("https://dicomflow.io/problems/invalid-query");

	static final int MAX_PAGE_SIZE = 500;

	private final QuotaUsage usage;

	private final UploadProperties limits;

	QuotaController(QuotaUsage usage, UploadProperties limits) {
		this.usage = usage;
		this.limits = limits;
	}

	/**
	 * @param quotaBytes the per-user quota in bytes; {@code 0} when there is none
	 * @param page page number, from 0
	 * @param size page size asked for
	 * @param owners the owners of this page, largest first
	 */
	record QuotaPage(long quotaBytes, int page, int size, List<QuotaUsage.Owner> owners) {
	}

	@GetMapping({ "/api/admin/quotas", "/api/admin/quotas/" })
	QuotaPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
			Authentication caller) {
		if (!Roles.isAdmin(caller)) {
			throw problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "quotas are for admins only");
		}
		if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
			throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid query",
					"page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
		}
		return new QuotaPage(this.limits.quotaPerUser().toBytes(), page, size,
				this.usage.page(size, (long) page * size));
	}

	private static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
