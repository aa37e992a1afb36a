package io.dicomflow.upload.upload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileStateTest {

	@Test
	void notifiedFollowsOnlyAnEndedAnalysis() {
		assertThat(FileState.DONE.canAdvanceTo(FileState.NOTIFIED)).isTrue();
		assertThat(FileState.FAILED.canAdvanceTo(FileState.NOTIFIED)).isTrue();
		assertThat(FileState.QUEUED.canAdvanceTo(FileState.NOTIFIED)).isFalse();
		assertThat(FileState.NOTIFIED.canAdvanceTo(FileState.NOTIFIED)).isFalse();
	}

	@Test
	void notifiedIsTheEndAndLateAnalysisEventsDoNotMoveIt() {
		for (FileState next : FileState.values()) {
			assertThat(FileState.NOTIFIED.canAdvanceTo(next)).as(next.name()).isFalse();
		}
		assertThat(FileState.DONE.canAdvanceTo(FileState.QUEUED)).isFalse();
	}

	@Test
	void aFailedFileCanStillBeAnalysedAfterAnOperatorRequeuedItsRequest() {
		assertThat(FileState.FAILED.canAdvanceTo(FileState.DONE)).isTrue();
		assertThat(FileState.DONE.canAdvanceTo(FileState.FAILED)).isFalse();
	}

}
