package io.dicomflow.upload.upload;

import java.util.Optional;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code Idempotency-Key}: the first request with a key (per owner) runs and its answer is kept; a retry with
 * the same key gets that answer again (header {@code Idempotent-Replayed: true}) instead of running again, and
 * a retry while the first is still running gets 409. A request that fails with an exception leaves no record,
 * so its retry runs.
 */
@Service
class IdempotencyKeys {

	static final String HEADER = "Idempotency-Key";

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	IdempotencyKeys(JdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	ResponseEntity<?> run(String owner, String key, Supplier<ResponseEntity<?>> request) {
		if (key == null || key.isBlank()) {
			return request.get();
		}
		if (key.length() > 255) {
			throw UploadProblems.error(HttpStatus.BAD_REQUEST, URI_BAD_KEY, "Bad Idempotency-Key",
					"Idempotency-Key is longer than 255 characters");
		}
		try {
			this.jdbc.update("insert into idempotency_record (owner, idempotency_key) values (?, ?)", owner, key);
		}
		catch (DuplicateKeyException ex) {
			return replay(owner, key).orElseThrow(() -> UploadProblems.error(HttpStatus.CONFLICT, URI_IN_PROGRESS,
					"Request in progress", "a request with this Idempotency-Key is still being processed"));
		}
		ResponseEntity<?> response;
		try {
			response = request.get();
		}
		catch (RuntimeException ex) {
			forget(owner, key);
			throw ex;
		}
		this.jdbc.update("update idempotency_record set status = ?, response = ?::jsonb where owner = ? and "
				+ "idempotency_key = ?", response.getStatusCode().value(), this.json.writeValueAsString(response.getBody()),
				owner, key);
		return response;
	}

	private Optional<ResponseEntity<?>> replay(String owner, String key) {
		java.util.List<ResponseEntity<?>> rows = this.jdbc
			.query("select status, response::text from idempotency_record where owner = ? and idempotency_key = ? "
					+ "and status is not null", (rs, i) -> {
						int status = rs.getInt(1);
						JsonNode body = this.json.readTree(rs.getString(2));
						MediaType type = (status >= 400) ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
						ResponseEntity<?> replayed = ResponseEntity.status(status)
							.contentType(type)
							.header("Idempotent-Replayed", "true")
							.body(body);
						return replayed;
					}, owner, key);
		return rows.stream().findFirst();
	}

	private void forget(String owner, String key) {
		this.jdbc.update("delete from idempotency_record where owner = ? and idempotency_key = ?", owner, key);
	}

	private static final java.net.URI URI_BAD_KEY = java.net.URI.create("https://dicomflow.io/problems/bad-idempotency-key");

	private static final java.net.URI URI_IN_PROGRESS = java.net.URI
		.create("https://dicomflow.io/problems/idempotency-key-in-progress");

}
