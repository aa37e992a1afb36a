package io.dicomflow.upload.dimse;

import java.util.List;
import java.util.UUID;

import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.validation.Rejection;
import io.dicomflow.upload.validation.RejectionCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The C-STORE status for each ingest outcome (the table in docs/dimse.md). */
class StoreStatusTest {

	private static FileOutcome outcome(FileOutcome.Outcome kind, RejectionCode code, String message) {
		Rejection rejection = (code != null) ? new Rejection(code, null, message) : null;
		return new FileOutcome("1.2.3", kind, UUID.randomUUID(), "1.2.3", "ab", null, null, List.of(), rejection);
	}

	@Test
	void storedAndAlreadyStoredAreSuccess() {
		assertThat(StoreStatus.of(outcome(FileOutcome.Outcome.ACCEPTED, null, null)))
			.isEqualTo(new StoreStatus(0x0000, null));
		assertThat(StoreStatus.of(outcome(FileOutcome.Outcome.DUPLICATE, null, null)))
			.isEqualTo(new StoreStatus(0x0000, null));
	}

	@Test
	void everyRejectionCodeHasAFailureStatusOfItsKind() {
		for (RejectionCode code : RejectionCode.values()) {
			StoreStatus status = StoreStatus.of(outcome(FileOutcome.Outcome.REJECTED, code, "why"));
			int expected = switch (code) {
				case QUOTA_EXCEEDED, FILE_TOO_LARGE, STORE_FAILED -> 0xA700;
				case MISSING_ATTRIBUTE, PIXEL_DATA_MISSING, PIXEL_DATA_INCONSISTENT, NONCONFORMANT, INVALID_UID -> 0xA900;
				default -> 0xC000;
			};
			assertThat(status.status()).as(code.name()).isEqualTo(expected);
			assertThat(status.comment()).startsWith(code.name());
		}
		StoreStatus conflict = StoreStatus.of(outcome(FileOutcome.Outcome.CONFLICT, RejectionCode.CONFLICT, "x"));
		assertThat(conflict.status()).isEqualTo(0xC000);
		assertThat(conflict.comment()).startsWith("CONFLICT");
		// quarantined: not stored for analysis, so a failure like the rejection it is
		assertThat(StoreStatus.of(outcome(FileOutcome.Outcome.QUARANTINED, RejectionCode.PIXEL_DATA_MISSING, "x"))
			.status()).isEqualTo(0xA900);
	}

	@Test
	void theErrorCommentIsShortPrintableAscii() {
		StoreStatus status = StoreStatus.of(RejectionCode.MALFORMED_DICOM, "bad \u00e9l\u00e9ment\\with\nbreaks "
				+ "x".repeat(200));
		assertThat(status.comment()).hasSizeLessThanOrEqualTo(64).matches("[\\x20-\\x5B\\x5D-\\x7E]*");
	}

}
