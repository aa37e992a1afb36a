package io.dicomflow.upload.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.dicomflow.common.events.Traceparent;
import io.dicomflow.upload.upload.IncomingFile;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadProblems;
import io.dicomflow.upload.upload.UploadProperties;
import io.dicomflow.upload.upload.UploadReceipt;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tus 1.0 server under {@code /api/uploads/tus}: OPTIONS (discovery), POST (creation), HEAD (offset),
 * PATCH (append, with optional {@code Upload-Checksum}), DELETE (termination), and GET of a completed
 * upload's ingest receipt. The last PATCH runs the file through {@link UploadIngest} like a one-file POST.
 */
@RestController
@RequestMapping("/api/uploads/tus")
@EnableConfigurationProperties(TusProperties.class)
class TusController {

	private static final Logger log = LoggerFactory.getLogger(TusController.class);

	static final String VERSION = "1.0.0";

	static final URI TUS = URI.create("https://dicomflow.io/problems/tus");

	static final URI TOO_MANY_INCOMPLETE = URI.create("https://dicomflow.io/problems/too-many-incomplete-uploads");

	private static final String OFFSET_TYPE = "application/offset+octet-stream";

	private final JdbcTemplate jdbc;

	private final UploadIngest ingest;

	private final TusProperties properties;

	private final JsonMapper json;

	private final UploadProperties limits;

	private final TransactionTemplate transactions;

	TusController(JdbcTemplate jdbc, UploadIngest ingest, TusProperties properties, JsonMapper json,
			UploadProperties limits, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.ingest = ingest;
		this.properties = properties;
		this.json = json;
		this.limits = limits;
		this.transactions = transactions;
	}

	/** One row of {@code tus_upload}. */
	record TusUpload(UUID id, long length, long offset, String fileName, Path spool, String outcome) {
	}

	@RequestMapping(method = RequestMethod.OPTIONS)
	ResponseEntity<Void> options() {
		return ResponseEntity.noContent()
			.header("Tus-Resumable", VERSION)
			.header("Tus-Version", VERSION)
			.header("Tus-Extension", "creation,termination,checksum,expiration")
			.header("Tus-Checksum-Algorithm", "sha1,sha256")
			.header("Tus-Max-Size", Long.toString(maxLength()))
			.build();
	}

	@PostMapping
	ResponseEntity<?> create(@RequestHeader(name = "Upload-Length", required = false) Long length,
			@RequestHeader(name = "Upload-Metadata", required = false) String metadata, Principal user)
			throws IOException {
		if (length == null || length < 0) {
			return problem(HttpStatus.BAD_REQUEST, "Upload-Length is required (deferred length is not supported)");
		}
		if (length > maxLength()) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_LARGE, "Too large",
					"Upload-Length is above " + maxLength() + " bytes, the largest file this service accepts");
		}
		UUID id = UUID.randomUUID();
		// created (0600, in a 0700 directory) only once the caps let the upload in
		Path spool = this.properties.spoolDirectory().resolve(id.toString());
		String owner = user.getName();
		// the caps on one user's incomplete uploads are checked and the new one recorded under a per-user lock, so
		// that simultaneous creations cannot all pass the check
		ResponseEntity<?> refused = this.transactions.execute((tx) -> {
			this.jdbc.query("select pg_advisory_xact_lock(hashtext(?))", (rs) -> null, "tus_upload:" + owner);
			Map<String, Object> held = this.jdbc.queryForMap("select count(*) as uploads, coalesce(sum(length), 0) "
					+ "as bytes from tus_upload where owner = ? and outcome is null", owner);
			if (((Number) held.get("uploads")).longValue() >= this.properties.maxIncompletePerUser()) {
				return problem(HttpStatus.TOO_MANY_REQUESTS, TOO_MANY_INCOMPLETE, "Too many incomplete uploads",
						"at most " + this.properties.maxIncompletePerUser()
								+ " incomplete uploads per user: finish or terminate one first");
			}
			if (((Number) held.get("bytes")).longValue() + length > this.properties.maxIncompleteBytesPerUser()
				.toBytes()) {
				return problem(HttpStatus.CONTENT_TOO_LARGE, UploadProblems.TOO_LARGE, "Too large",
						"the incomplete uploads of one user may declare at most "
								+ this.properties.maxIncompleteBytesPerUser().toBytes() + " bytes together");
			}
			this.jdbc.update("insert into tus_upload (id, owner, length, file_name, spool_path) values (?, ?, ?, ?, ?)",
					id, owner, length, metadata(metadata).get("filename"), spool.toString());
			return null;
		});
		if (refused != null) {
			return refused;
		}
		try {
			PrivateSpool.newFile(this.properties.spoolDirectory(), id.toString());
		}
		catch (IOException ex) {
			this.jdbc.update("delete from tus_upload where id = ?", id);
			throw ex;
		}
		return ResponseEntity.created(URI.create("/api/uploads/tus/" + id))
			.header("Tus-Resumable", VERSION)
			.header("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME
				.format(ZonedDateTime.now(ZoneOffset.UTC).plus(this.properties.expireAfter())))
			.build();
	}

	private long maxLength() {
		return this.properties.maxLength(this.limits.maxFileSize());
	}

	@RequestMapping(path = "/{id}", method = RequestMethod.HEAD)
	ResponseEntity<Void> offset(@PathVariable UUID id, Principal user) {
		TusUpload upload = find(id, user);
		if (upload == null) {
			return ResponseEntity.notFound().header("Tus-Resumable", VERSION).build();
		}
		return ResponseEntity.ok()
			.header("Tus-Resumable", VERSION)
			.header("Upload-Offset", Long.toString(upload.offset()))
			.header("Upload-Length", Long.toString(upload.length()))
			.header("Cache-Control", "no-store")
			.build();
	}

	@RequestMapping(path = "/{id}", method = RequestMethod.PATCH)
	ResponseEntity<?> append(@PathVariable UUID id, @RequestHeader(name = "Upload-Offset") long offset,
			@RequestHeader(name = "Content-Type", required = false) String contentType,
			@RequestHeader(name = "Upload-Checksum", required = false) String checksum,
			@RequestHeader(name = "traceparent", required = false) String traceparent, HttpServletRequest request,
			Principal user) throws IOException {
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_TYPE)) {
			return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "PATCH needs Content-Type " + OFFSET_TYPE);
		}
		TusUpload upload = find(id, user);
		if (upload == null) {
			return problem(HttpStatus.NOT_FOUND, "no upload " + id);
		}
		if (upload.outcome() != null || offset != upload.offset()) {
			return problem(HttpStatus.CONFLICT, "the upload is at offset " + upload.offset());
		}
		MessageDigest digest = (checksum != null) ? digest(checksum) : null;
		if (checksum != null && digest == null) {
			return problem(HttpStatus.BAD_REQUEST, "unsupported checksum algorithm");
		}
		long written = 0;
		boolean interrupted = false;
		long max = upload.length() - upload.offset();
		// write from the stored offset: bytes past it from an earlier, failed PATCH are dropped
		truncate(upload.spool(), upload.offset());
		try (InputStream in = request.getInputStream();
				OutputStream append = Files.newOutputStream(upload.spool(), StandardOpenOption.APPEND)) {
			byte[] buffer = new byte[1 << 16];
			int n;
			while (written < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - written))) > 0) {
				if (digest != null) {
					digest.update(buffer, 0, n);
				}
				append.write(buffer, 0, n);
				written += n;
			}
		}
		catch (IOException ex) {
			// the connection broke: keep what arrived (that is tus' point), unless a checksum was asked for
			interrupted = true;
		}
		if (digest != null) {
			String expected = checksum.substring(checksum.indexOf(' ') + 1).strip();
			if (interrupted || !Base64.getEncoder().encodeToString(digest.digest()).equals(expected)) {
				truncate(upload.spool(), upload.offset());
				return ResponseEntity.status(460).header("Tus-Resumable", VERSION).build();
			}
		}
		long newOffset = upload.offset() + written;
		this.jdbc.update("update tus_upload set upload_offset = ? where id = ?", newOffset, id);
		if (interrupted) {
			log.info("tus upload {} interrupted at offset {}", id, newOffset);
			return ResponseEntity.noContent().header("Tus-Resumable", VERSION).build();
		}
		if (newOffset == upload.length()) {
			complete(upload, user.getName(), traceparent);
		}
		return ResponseEntity.noContent()
			.header("Tus-Resumable", VERSION)
			.header("Upload-Offset", Long.toString(newOffset))
			.build();
	}

	/** The ingest receipt of a completed upload (404 while incomplete). */
	@GetMapping("/{id}")
	ResponseEntity<?> receipt(@PathVariable UUID id, Principal user) {
		TusUpload upload = find(id, user);
		if (upload == null || upload.outcome() == null) {
			return problem(HttpStatus.NOT_FOUND, "no completed upload " + id);
		}
		return ResponseEntity.ok().header("Content-Type", "application/json").body(upload.outcome());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<?> terminate(@PathVariable UUID id, Principal user) throws IOException {
		TusUpload upload = find(id, user);
		if (upload == null) {
			return problem(HttpStatus.NOT_FOUND, "no upload " + id);
		}
		Files.deleteIfExists(upload.spool());
		this.jdbc.update("delete from tus_upload where id = ?", id);
		return ResponseEntity.noContent().header("Tus-Resumable", VERSION).build();
	}

	private void complete(TusUpload upload, String owner, String traceparent) throws IOException {
		Path spool = upload.spool();
		IncomingFile file = new IncomingFile() {
			@Override
			public String name() {
				return upload.fileName();
			}

			@Override
			public long size() {
				return upload.length();
			}

			@Override
			public InputStream open() throws IOException {
				return Files.newInputStream(spool);
			}
		};
		UploadReceipt receipt = this.ingest.ingest(owner, List.of(file), Traceparent.childOf(traceparent));
		this.jdbc.update("update tus_upload set outcome = ?::jsonb, completed_at = ? where id = ?",
				this.json.writeValueAsString(receipt), Timestamp.from(Instant.now()), upload.id());
		Files.deleteIfExists(spool);
	}

	private TusUpload find(UUID id, Principal user) {
		return this.jdbc
			.query("select id, length, upload_offset, file_name, spool_path, outcome::text from tus_upload "
					+ "where id = ? and owner = ?",
					(rs, i) -> new TusUpload(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3), rs.getString(4),
							Path.of(rs.getString(5)), rs.getString(6)),
					id, user.getName())
			.stream()
			.findFirst()
			.orElse(null);
	}

	private static void truncate(Path file, long size) throws IOException {
		try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(size);
		}
	}

	private static MessageDigest digest(String checksum) {
		String algorithm = checksum.split(" ", 2)[0].toLowerCase(Locale.ROOT);
		try {
			return switch (algorithm) {
				case "sha1" -> MessageDigest.getInstance("SHA-1");
				case "sha256" -> MessageDigest.getInstance("SHA-256");
				default -> null;
			};
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** tus Upload-Metadata: comma-separated "key base64value" pairs. */
	private static Map<String, String> metadata(String header) {
		Map<String, String> values = new java.util.HashMap<>();
		if (header == null) {
			return values;
		}
		for (String pair : header.split(",")) {
			String[] kv = pair.strip().split(" ", 2);
			if (kv.length == 2) {
				try {
					values.put(kv[0], new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8));
				}
				catch (IllegalArgumentException ignored) {
					// a malformed value is ignored, not fatal
				}
			}
		}
		return values;
	}

	private static ResponseEntity<?> problem(HttpStatus status, String detail) {
		return problem(status, TUS, status.getReasonPhrase(), detail);
	}

	/** The service's problem+json ({@link ProblemDetail}), with the Tus-Resumable header every answer carries. */
	private static ResponseEntity<?> problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return ResponseEntity.status(status)
			.header("Tus-Resumable", VERSION)
			.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
