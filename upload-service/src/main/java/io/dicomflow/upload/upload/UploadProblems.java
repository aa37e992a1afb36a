package io.dicomflow.upload.upload;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.dicomflow.upload.validation.RejectionCode;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * RFC 9457 answers of the upload routes. Multipart parse failures happen before any handler is chosen, so
 * they are handled here (globally) rather than in a controller.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UploadProblems {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UploadProblems.class);

	public static final URI NO_FILES = URI.create("https://dicomflow.io/problems/no-files");

	public static final URI NOTHING_ACCEPTED = URI.create("https://dicomflow.io/problems/nothing-accepted");

	public static final URI STORE_UNAVAILABLE = URI.create("https://dicomflow.io/problems/store-unavailable");

	public static final URI TOO_LARGE = URI.create("https://dicomflow.io/problems/too-large");

	public static final URI TOO_MANY_FILES = URI.create("https://dicomflow.io/problems/too-many-files");

	public static final URI MALFORMED_MULTIPART = URI.create("https://dicomflow.io/problems/malformed-multipart");

	public static final URI NOT_FOUND = URI.create("https://dicomflow.io/problems/not-found");

	public static final URI CONFLICT = URI.create("https://dicomflow.io/problems/conflict");

	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> multipart(MultipartException ex) {
		log.info("Multipart request refused: {}", ex.getMostSpecificCause().toString());
		String text = String.valueOf(ex.getMessage()) + " " + ex.getMostSpecificCause();
		// the container's part-count refusal (FileCountLimitExceededException) first: Spring may report it as a
		// size problem
		if (text.toLowerCase(java.util.Locale.ROOT).contains("count")) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, TOO_MANY_FILES, "Too many files",
					"the request has more parts than this service accepts");
		}
		if (ex instanceof MaxUploadSizeExceededException || text.contains("size")) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Too large",
					"a file or the request is larger than this service accepts");
		}
		return problem(HttpStatus.BAD_REQUEST, MALFORMED_MULTIPART, "Malformed multipart request",
				"the multipart body could not be read");
	}

	static ResponseEntity<ProblemDetail> problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	public static ErrorResponseException error(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

	/**
	 * The answer to a request none of whose files was stored, the per-file outcomes in the {@code files}
	 * property: 503 with {@code Retry-After} when every file failed with {@code STORE_FAILED} (the server could
	 * not store it, the same request may succeed later: a 4xx would tell the client to give up on good files);
	 * 413 when every file was too large; else 400 (at least one file was refused for what it is, so sending the
	 * same request again cannot succeed).
	 */
	public static ResponseEntity<ProblemDetail> nothingStored(List<FileOutcome> outcomes, Duration retryAfter) {
		ResponseEntity<ProblemDetail> response;
		if (!outcomes.isEmpty() && outcomes.stream().allMatch((o) -> rejectedFor(o, RejectionCode.STORE_FAILED))) {
			long seconds = Math.max(1, retryAfter.toSeconds());
			ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE, "Storage unavailable",
					"none of the " + outcomes.size() + " files could be stored; retry after " + seconds + " seconds")
				.getBody();
			response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		else if (outcomes.stream().allMatch((o) -> rejectedFor(o, RejectionCode.FILE_TOO_LARGE))) {
			response = problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Too large",
					"every file is larger than this service accepts");
		}
		else {
			response = problem(HttpStatus.BAD_REQUEST, NOTHING_ACCEPTED, "No file accepted",
					"none of the " + outcomes.size() + " files was accepted");
		}
		response.getBody().setProperty("files", outcomes);
		return response;
	}

	private static boolean rejectedFor(FileOutcome outcome, RejectionCode code) {
		return outcome.rejection() != null && outcome.rejection().code() == code;
	}

}
