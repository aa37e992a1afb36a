package io.dicomflow.upload.upload;

import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.dicomflow.common.events.Traceparent;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/uploads")
class UploadController {

	private final UploadIngest ingest;

	private final UploadQueries queries;

	private final UploadProperties limits;

	private final IdempotencyKeys idempotency;

	private final SpoolMemory memory;

	private final SpoolPerUser spool;

	UploadController(UploadIngest ingest, UploadQueries queries, UploadProperties limits,
			IdempotencyKeys idempotency, SpoolMemory memory, SpoolPerUser spool) {
		this.memory = memory;
		this.spool = spool;
		this.ingest = ingest;
		this.queries = queries;
		this.limits = limits;
		this.idempotency = idempotency;
	}

	/**
	 * The body is read here, not by the servlet container ({@link FormDataMultipartResolver} leaves this route
	 * alone): the files are held in memory up to a budget and in temporary files beyond it ({@link FormDataFiles}),
	 * and each is then read once to hash and validate and once to store.
	 */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
			mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
			schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = UploadForm.class)))
	ResponseEntity<?> upload(HttpServletRequest request,
			@RequestHeader(name = "traceparent", required = false) String traceparent,
			@RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey, Principal user)
			throws IOException {
		try (SpoolPerUser.Share share = this.spool.open(user.getName());
				FormDataFiles form = FormDataFiles.read(
						BoundedBody.of(request.getInputStream(), this.limits.maxRequestSize().toBytes(), share),
				request.getContentType(), this.limits.maxFiles(), this.limits.maxParts(),
				this.limits.maxFileSize().toBytes(),
				this.limits.spoolMemoryPerRequest().toBytes(), this.memory)) {
			List<? extends IncomingFile> files = form.files();
			requireFiles(files, this.limits);
			return this.idempotency.run(user.getName(), idempotencyKey, () -> ingest(files, traceparent, user));
		}
	}

	/** The form as the OpenAPI document describes it: one or more parts named {@code files}. */
	record UploadForm(@io.swagger.v3.oas.annotations.media.ArraySchema(schema = @io.swagger.v3.oas.annotations.media.Schema(
			type = "string", format = "binary")) List<String> files) {
	}

	private ResponseEntity<?> ingest(List<? extends IncomingFile> files, String traceparent, Principal user) {
		UploadReceipt receipt = this.ingest.ingest(user.getName(), files, Traceparent.childOf(traceparent));
		if (!receipt.anyStored()) {
			return UploadProblems.nothingStored(receipt.files(), this.limits.storeRetryAfter());
		}
		ResponseEntity.BodyBuilder accepted = ResponseEntity.accepted();
		if (receipt.uploadId() != null) {
			accepted.location(URI.create("/api/uploads/" + receipt.uploadId()));
		}
		return accepted.body(receipt);
	}

	static void requireFiles(List<?> files, UploadProperties limits) {
		if (files == null || files.isEmpty()) {
			throw UploadProblems.error(HttpStatus.BAD_REQUEST, UploadProblems.NO_FILES, "No files",
					"the request has no multipart parts named 'files'");
		}
		if (files.size() > limits.maxFiles()) {
			throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_MANY_FILES, "Too many files",
					"at most " + limits.maxFiles() + " files per request");
		}
	}

	@GetMapping("/{id}")
	UploadView upload(@PathVariable UUID id, Authentication caller) {
		return this.queries.find(id, UploadQueries.Reader.of(caller))
			.orElseThrow(() -> UploadProblems.error(HttpStatus.NOT_FOUND, UploadProblems.NOT_FOUND, "Not found",
					"no upload " + id));
	}

	@GetMapping
	PagedModel<UploadView> uploads(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
			Authentication caller) {
		return new PagedModel<>(this.queries.list(UploadQueries.Reader.of(caller),
				PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), 100))));
	}

}
