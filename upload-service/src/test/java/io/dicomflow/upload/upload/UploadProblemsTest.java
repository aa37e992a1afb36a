package io.dicomflow.upload.upload;

import java.time.Duration;
import java.util.List;

import io.dicomflow.upload.validation.Rejection;
import io.dicomflow.upload.validation.RejectionCode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** Which answer a request none of whose files was stored gets: retryable (503) or final (4xx). */
class UploadProblemsTest {

	private static FileOutcome rejected(String name, RejectionCode code) {
		return FileOutcome.rejected(name, "00", new Rejection(code, null, "why"));
	}

	@Test
	void everyFileFailedToStoreIs503WithRetryAfterAndTheOutcomes() {
		List<FileOutcome> outcomes = List.of(rejected("a.dcm", RejectionCode.STORE_FAILED),
				rejected("b.dcm", RejectionCode.STORE_FAILED));

		ResponseEntity<ProblemDetail> answer = UploadProblems.nothingStored(outcomes, Duration.ofSeconds(10));

		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getBody().getType()).isEqualTo(UploadProblems.STORE_UNAVAILABLE);
		assertThat(answer.getBody().getStatus()).isEqualTo(503);
		assertThat(answer.getBody().getProperties()).containsEntry("files", outcomes);
	}

	@Test
	void aSubSecondRetryAfterStillSaysOneSecond() {
		ResponseEntity<ProblemDetail> answer = UploadProblems.nothingStored(
				List.of(rejected("a.dcm", RejectionCode.STORE_FAILED)), Duration.ofMillis(200));

		assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
	}

	@Test
	void oneFileRefusedForWhatItIsMakesTheRequestFinal400() {
		List<FileOutcome> outcomes = List.of(rejected("a.dcm", RejectionCode.STORE_FAILED),
				rejected("b.txt", RejectionCode.NOT_DICOM));

		ResponseEntity<ProblemDetail> answer = UploadProblems.nothingStored(outcomes, Duration.ofSeconds(10));

		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(answer.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
		assertThat(answer.getBody().getType()).isEqualTo(UploadProblems.NOTHING_ACCEPTED);
		assertThat(answer.getBody().getProperties()).containsEntry("files", outcomes);
	}

	@Test
	void aConflictOrAQuarantineIsFinalToo() {
		FileOutcome conflict = FileOutcome.conflict("a.dcm", "1.2.3", "00", List.of("PatientName"),
				new Rejection(RejectionCode.CONFLICT, null, "why"));
		FileOutcome quarantined = FileOutcome.quarantined("b.dcm", java.util.UUID.randomUUID(), "00",
				new Rejection(RejectionCode.MALFORMED_DICOM, null, "why"));

		assertThat(UploadProblems
			.nothingStored(List.of(conflict, rejected("c.dcm", RejectionCode.STORE_FAILED)), Duration.ofSeconds(10))
			.getStatusCode()
			.value()).isEqualTo(400);
		assertThat(UploadProblems
			.nothingStored(List.of(quarantined, rejected("c.dcm", RejectionCode.STORE_FAILED)), Duration.ofSeconds(10))
			.getStatusCode()
			.value()).isEqualTo(400);
	}

	@Test
	void everyFileTooLargeStays413() {
		ResponseEntity<ProblemDetail> answer = UploadProblems.nothingStored(
				List.of(rejected("a.dcm", RejectionCode.FILE_TOO_LARGE)), Duration.ofSeconds(10));

		assertThat(answer.getStatusCode().value()).isEqualTo(413);
		assertThat(answer.getBody().getType()).isEqualTo(UploadProblems.TOO_LARGE);
	}

}
