package io.dicomflow.upload.session;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * Opens a session.
 *
 * @param files how many files will be sent
 * @param declared optionally, each file's name and/or SHA-256 (then its size must equal {@code files})
 */
record SessionRequest(@Min(1) @Max(1_000_000) int files, @Valid List<DeclaredFile> declared) {

	/**
	 * @param name the file name the client will send, or null
	 * @param sha256 hex SHA-256 of the file, or null
	 */
	record DeclaredFile(String name, @Pattern(regexp = "[0-9a-fA-F]{64}") String sha256) {
	}

}
