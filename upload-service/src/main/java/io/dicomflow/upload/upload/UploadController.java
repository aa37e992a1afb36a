package io.dicomflow.upload.upload;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import io.dicomflow.common.events.Traceparent;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/uploads")
class UploadController {

	static final URI NO_FILES = URI.create("https://dicomflow.io/problems/no-files");

	static final URI NOTHING_ACCEPTED = URI.create("https://dicomflow.io/problems/nothing-accepted");

	static final URI NOT_FOUND = URI.create("https://dicomflow.io/problems/not-found");

	private final UploadIngest ingest;

	private final UploadQueries queries;

	UploadController(UploadIngest ingest, UploadQueries queries) {
		this.ingest = ingest;
		this.queries = queries;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<?> upload(@RequestPart(name = "files", required = false) List<MultipartFile> files,
			@RequestHeader(name = "traceparent", required = false) String traceparent, Principal user) {
		if (files == null || files.isEmpty()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"the request has no multipart parts named 'files'");
			problem.setType(NO_FILES);
			problem.setTitle("No files");
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		UploadReceipt receipt = this.ingest.ingest(user.getName(), files.stream().map(IncomingFile::of).toList(),
				Traceparent.childOf(traceparent));
		if (receipt.uploadId() == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"none of the " + files.size() + " files was accepted");
			problem.setType(NOTHING_ACCEPTED);
			problem.setTitle("No file accepted");
			problem.setProperty("files", receipt.files());
			return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
		}
		return ResponseEntity.accepted().location(URI.create("/api/uploads/" + receipt.uploadId())).body(receipt);
	}

	@GetMapping("/{id}")
	UploadView upload(@PathVariable UUID id, Authentication caller) {
		return this.queries.find(id, UploadQueries.Reader.of(caller)).orElseThrow(() -> notFound(id));
	}

	@GetMapping
	PagedModel<UploadView> uploads(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
			Authentication caller) {
		return new PagedModel<>(this.queries.list(UploadQueries.Reader.of(caller),
				PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), 100))));
	}

	private static ErrorResponseException notFound(UUID id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no upload " + id);
		problem.setType(NOT_FOUND);
		problem.setTitle("Not found");
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
	}

}
