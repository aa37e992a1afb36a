package io.dicomflow.upload.session;

import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.dicomflow.common.events.Traceparent;
import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.upload.IncomingFile;
import io.dicomflow.upload.upload.Upload;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadProblems;
import io.dicomflow.upload.upload.UploadProperties;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /api/uploads/sessions} opens, {@code POST /api/uploads/sessions/{id}/files} sends (any number of
 * times), {@code POST /api/uploads/sessions/{id}/commit} commits. The session is an upload like any other:
 * {@code GET /api/uploads/{id}} shows it, with state {@code OPEN} until committed.
 */
@RestController
@RequestMapping("/api/uploads/sessions")
class SessionController {

	static final URI SESSION_COMMITTED = URI.create("https://dicomflow.io/problems/session-committed");

	static final URI SESSION_INCOMPLETE = URI.create("https://dicomflow.io/problems/session-incomplete");

	private final UploadIngest ingest;

	private final UploadProperties limits;

	private final JdbcTemplate jdbc;

	SessionController(UploadIngest ingest, UploadProperties limits, JdbcTemplate jdbc) {
		this.ingest = ingest;
		this.limits = limits;
		this.jdbc = jdbc;
	}

	/**
	 * @param id the session's upload id
	 * @param state OPEN or COMMITTED
	 * @param declaredFiles how many files the client declared
	 * @param fileIds the stored files, once committed
	 */
	record SessionView(UUID id, Upload.State state, int declaredFiles, List<UUID> fileIds) {
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SessionView> open(@Valid @RequestBody SessionRequest request, Principal user) {
		if (request.declared() != null && !request.declared().isEmpty()
				&& request.declared().size() != request.files()) {
			throw UploadProblems.error(HttpStatus.BAD_REQUEST, URI.create("https://dicomflow.io/problems/bad-session"),
					"Bad session", "'declared' must list exactly 'files' entries when given");
		}
		if (request.files() > this.limits.maxSessionFiles()) {
			throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_MANY_FILES, "Too many files",
					"a session may declare at most " + this.limits.maxSessionFiles() + " files");
		}
		Upload upload = this.ingest.openSession(user.getName(), request.files());
		if (request.declared() != null) {
			for (int i = 0; i < request.declared().size(); i++) {
				SessionRequest.DeclaredFile file = request.declared().get(i);
				this.jdbc.update("insert into upload_declared_file (upload_id, position, file_name, sha256) "
						+ "values (?, ?, ?, ?)", upload.getId(), i, file.name(),
						(file.sha256() != null) ? file.sha256().toLowerCase(Locale.ROOT) : null);
			}
		}
		return ResponseEntity.created(URI.create("/api/uploads/" + upload.getId()))
			.body(new SessionView(upload.getId(), upload.getState(), request.files(), List.of()));
	}

	@PostMapping(path = "/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<?> send(@PathVariable UUID id,
			@RequestPart(name = "files", required = false) List<MultipartFile> files,
			@RequestHeader(name = "traceparent", required = false) String traceparent, Principal user) {
		Upload upload = openSession(id, user);
		if (files == null || files.isEmpty()) {
			throw UploadProblems.error(HttpStatus.BAD_REQUEST, UploadProblems.NO_FILES, "No files",
					"the request has no multipart parts named 'files'");
		}
		if (files.size() > this.limits.maxFiles()) {
			throw UploadProblems.error(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_MANY_FILES, "Too many files",
					"at most " + this.limits.maxFiles() + " files per request");
		}
		List<FileOutcome> outcomes = this.ingest.ingestInto(upload,
				files.stream().map(IncomingFile::of).toList(), Traceparent.childOf(traceparent));
		for (FileOutcome outcome : outcomes) {
			if (outcome.isStored()) {
				this.jdbc.update("insert into upload_session_received (upload_id, file_id, file_name, sha256, outcome) "
						+ "values (?, ?, ?, ?, ?) on conflict do nothing", id, outcome.fileId(), outcome.name(),
						outcome.sha256(), outcome.outcome().name());
			}
		}
		if (outcomes.stream().noneMatch(FileOutcome::isStored)) {
			return UploadProblems.nothingStored(outcomes, this.limits.storeRetryAfter());
		}
		return ResponseEntity.accepted().body(Map.of("uploadId", id, "files", outcomes));
	}

	@PostMapping("/{id}/commit")
	ResponseEntity<?> commit(@PathVariable UUID id,
			@RequestHeader(name = "traceparent", required = false) String traceparent, Principal user) {
		Upload upload = this.ingest.find(id, user.getName()).orElseThrow(() -> notFound(id));
		if (upload.getState() == Upload.State.OPEN) {
			List<String> missing = missing(upload);
			if (!missing.isEmpty()) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
						"not every declared file has been stored yet");
				problem.setType(SESSION_INCOMPLETE);
				problem.setTitle("Session incomplete");
				problem.setProperty("missing", missing);
				return ResponseEntity.status(HttpStatus.CONFLICT)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.body(problem);
			}
		}
		UploadIngest.Commit commit = this.ingest.commit(upload, Traceparent.childOf(traceparent));
		return ResponseEntity.ok(new SessionView(id, Upload.State.COMMITTED,
				(upload.getDeclaredFiles() != null) ? upload.getDeclaredFiles() : 0, commit.fileIds()));
	}

	/** What the session still lacks: declared names and hashes not received, or a count short. */
	private List<String> missing(Upload upload) {
		List<Map<String, Object>> received = this.jdbc
			.queryForList("select file_name, sha256 from upload_session_received where upload_id = ?", upload.getId());
		Set<String> names = received.stream()
			.map((r) -> (String) r.get("file_name"))
			.filter((n) -> n != null)
			.collect(Collectors.toSet());
		Set<String> hashes = received.stream().map((r) -> (String) r.get("sha256")).collect(Collectors.toSet());
		List<String> missing = new ArrayList<>();
		this.jdbc.query("select position, file_name, sha256 from upload_declared_file where upload_id = ? "
				+ "order by position", (rs) -> {
					String name = rs.getString(2);
					String sha = rs.getString(3);
					if ((sha != null && !hashes.contains(sha)) || (sha == null && name != null && !names.contains(name))) {
						missing.add((name != null) ? name : "file #" + (rs.getInt(1) + 1) + " (sha256 " + sha + ")");
					}
				}, upload.getId());
		int declared = (upload.getDeclaredFiles() != null) ? upload.getDeclaredFiles() : 0;
		if (missing.isEmpty() && hashes.size() < declared) {
			missing.add((declared - hashes.size()) + " of " + declared + " declared files");
		}
		return missing;
	}

	private Upload openSession(UUID id, Principal user) {
		Upload upload = this.ingest.find(id, user.getName()).orElseThrow(() -> notFound(id));
		if (upload.getState() != Upload.State.OPEN) {
			throw UploadProblems.error(HttpStatus.CONFLICT, SESSION_COMMITTED, "Session committed",
					"upload session " + id + " is committed and takes no more files");
		}
		return upload;
	}

	private static ErrorResponseException notFound(UUID id) {
		return UploadProblems.error(HttpStatus.NOT_FOUND, UploadProblems.NOT_FOUND, "Not found", "no upload " + id);
	}

}
