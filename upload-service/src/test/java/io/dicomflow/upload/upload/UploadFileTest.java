package io.dicomflow.upload.upload;

import java.time.Instant;
import java.util.UUID;

import io.dicomflow.upload.validation.ValidatedInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status events of a file can arrive out of order: bench/faults/run.sh saw an AnalysisCompleted whose first
 * delivery failed during a PostgreSQL restart redelivered after the FilesNotified the notifier had sent for it,
 * and the file stayed DONE for ever.
 */
class UploadFileTest {

	private static final Instant STORED = Instant.parse("2026-12-03T13:58:24Z");

	private static UploadFile storedFile() {
		ValidatedInstance instance = new ValidatedInstance("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.1", "1.2.3.4.2",
				"1.2.3.4.3", "1.2.840.10008.1.2.1", null);
		return new UploadFile(UUID.randomUUID(), UUID.randomUUID(), "alice", "f.dcm", instance, "alice/key", "ab", 10,
				UUID.randomUUID(), STORED, STORED);
	}

	@Test
	void aFilesNotifiedThatOvertookTheOutcomeTakesEffectWhenTheOutcomeArrives() {
		UploadFile file = storedFile();
		Instant notifiedAt = STORED.plusSeconds(90);
		Instant completedAt = STORED.plusSeconds(86);

		file.notified(notifiedAt);
		assertThat(file.getState()).isEqualTo(FileState.STORED);

		file.completed("result-1", completedAt);
		assertThat(file.getState()).isEqualTo(FileState.NOTIFIED);
		assertThat(file.getResultId()).isEqualTo("result-1");
		assertThat(file.getTransitions()).containsEntry(FileState.DONE, completedAt)
			.containsEntry(FileState.NOTIFIED, notifiedAt);
	}

	@Test
	void anEarlyFilesNotifiedAlsoCompletesAFailure() {
		UploadFile file = storedFile();
		file.notified(STORED.plusSeconds(5));

		file.failed("UNSUPPORTED_IMAGE", "transfer syntax not decodable", STORED.plusSeconds(7));

		assertThat(file.getState()).isEqualTo(FileState.NOTIFIED);
		// never before the outcome it reports
		assertThat(file.getTransitions().get(FileState.NOTIFIED)).isEqualTo(STORED.plusSeconds(7));
	}

	@Test
	void inOrderEventsStillMoveDoneToNotifiedOnce() {
		UploadFile file = storedFile();
		file.completed("result-1", STORED.plusSeconds(1));
		file.notified(STORED.plusSeconds(2));
		file.notified(STORED.plusSeconds(3));

		assertThat(file.getState()).isEqualTo(FileState.NOTIFIED);
		assertThat(file.getTransitions()).containsEntry(FileState.NOTIFIED, STORED.plusSeconds(2));
	}

	@Test
	void withoutAnyFilesNotifiedTheOutcomeStaysDone() {
		UploadFile file = storedFile();
		file.completed("result-1", STORED.plusSeconds(1));

		assertThat(file.getState()).isEqualTo(FileState.DONE);
	}

}
