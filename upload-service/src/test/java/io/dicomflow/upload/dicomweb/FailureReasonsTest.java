package io.dicomflow.upload.dicomweb;

import io.dicomflow.upload.validation.RejectionCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureReasonsTest {

	@Test
	void eachRejectionCodeMapsToItsStowFailureReason() {
		assertThat(FailureReasons.of(RejectionCode.EMPTY_FILE)).isEqualTo(0xC001);
		assertThat(FailureReasons.of(RejectionCode.MALFORMED_DICOM)).isEqualTo(0xC002);
		assertThat(FailureReasons.of(RejectionCode.MISSING_ATTRIBUTE)).isEqualTo(0xA900);
		assertThat(FailureReasons.of(RejectionCode.INVALID_UID)).isEqualTo(0xA900);
		assertThat(FailureReasons.of(RejectionCode.CONFLICT)).isEqualTo(0x0111);
		assertThat(FailureReasons.of(RejectionCode.STORE_FAILED)).isEqualTo(0x0110);
		assertThat(FailureReasons.of(RejectionCode.NOT_DICOM)).isEqualTo(0xC002);
		assertThat(FailureReasons.of(RejectionCode.NOT_PART10)).isEqualTo(0xC002);
		assertThat(FailureReasons.of(RejectionCode.TRUNCATED)).isEqualTo(0xC002);
		assertThat(FailureReasons.of(RejectionCode.LENGTH_PAST_EOF)).isEqualTo(0xC002);
		assertThat(FailureReasons.of(RejectionCode.UNKNOWN_TRANSFER_SYNTAX)).isEqualTo(0xC122);
		assertThat(FailureReasons.of(RejectionCode.FILE_TOO_LARGE)).isEqualTo(0xA700);
		assertThat(FailureReasons.of(RejectionCode.QUOTA_EXCEEDED)).isEqualTo(0xA700);
		assertThat(FailureReasons.of(RejectionCode.PIXEL_DATA_MISSING)).isEqualTo(0xA900);
		assertThat(FailureReasons.of(RejectionCode.NONCONFORMANT)).isEqualTo(0xA900);
	}

	@Test
	void everyRejectionCodeHasAReasonInTheRangesPs318Names() {
		for (RejectionCode code : RejectionCode.values()) {
			int reason = FailureReasons.of(code);
			boolean known = (reason >= 0xA700 && reason <= 0xA7FF) || (reason >= 0xA900 && reason <= 0xA9FF)
					|| (reason >= 0xC000 && reason <= 0xCFFF) || reason == 0x0110 || reason == 0x0111
					|| reason == 0x0122;
			assertThat(known).as("%s → %04X", code, reason).isTrue();
		}
	}

}
