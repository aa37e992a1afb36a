package io.dicomflow.notification.email;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryMailTest {

	private static final UUID UPLOAD = UUID.fromString("6c892958-e96b-4396-a60b-81833b6deb92");

	private final UploadSummary summary = new UploadSummary(UPLOAD, List.of(
			new UploadSummary.FileOutcome(UPLOAD, UUID.randomUUID(), "DONE", "1.2.3.4", "r-1", "ACME <Scanner>", 4096L,
					812.5, 0.25, null, null),
			new UploadSummary.FileOutcome(UPLOAD, UUID.randomUUID(), "FAILED", "1.2.3.5", null, null, null, null, null,
					"UNSUPPORTED_IMAGE", "transfer syntax 1.2.840.10008.1.2.4.100 is not decoded")));

	@Test
	void theSubjectNamesTheUploadAndCountsItsOutcomes() {
		assertThat(SummaryMail.subject(this.summary))
			.isEqualTo("dicomflow: upload 6c892958-e96b-4396-a60b-81833b6deb92 analysed (1 done, 1 failed)");
	}

	@Test
	void plainTextAndHtmlListEveryFileWithItsFiguresOrReason() {
		SummaryMail mail = SummaryMail.of(this.summary, "https://dicomflow.example/");
		assertThat(mail.text()).contains("1.2.3.4: done, result r-1, 4096 values, average 812.5, normalised 0.25")
			.contains("1.2.3.5: failed, transfer syntax 1.2.840.10008.1.2.4.100 is not decoded (UNSUPPORTED_IMAGE)")
			.contains("https://dicomflow.example/");
		assertThat(mail.html()).startsWith("<!DOCTYPE html>")
			.contains("<td>1.2.3.4</td><td>done</td>")
			.contains("href=\"https://dicomflow.example/\"");
	}

	@Test
	void valuesAreEscapedInTheHtml() {
		assertThat(SummaryMail.of(this.summary, "").html()).contains("ACME &lt;Scanner&gt;").doesNotContain("<Scanner>");
	}

	@Test
	void aDigestCountsEveryUploadAndListsEachFileUnderItsUpload() {
		UUID second = UUID.fromString("0b0c8f7e-5a55-4d7e-9b0e-2f1f3a9c1d22");
		UploadSummary other = new UploadSummary(second, List.of(new UploadSummary.FileOutcome(second,
				UUID.randomUUID(), "DONE", "1.2.3.6", "r-2", "", 16L, 3.0, 0.5, null, null)));
		SummaryMail mail = SummaryMail.digest(List.of(this.summary, other), "");
		assertThat(mail.subject()).isEqualTo("dicomflow: 2 uploads analysed (2 done, 1 failed)");
		assertThat(mail.text()).contains("Upload " + UPLOAD + ": 1 done, 1 failed\n- 1.2.3.4: done")
			.contains("Upload " + second + ": 1 done, 0 failed\n- 1.2.3.6: done, result r-2, 16 values");
		assertThat(mail.html()).contains("<th>Upload</th><th>SOP Instance UID</th>")
			.contains("<tr><td>" + second + "</td><td>1.2.3.6</td><td>done</td>")
			.contains("ACME &lt;Scanner&gt;");
		assertThat(SummaryMail.digest(List.of(other), "").subject())
			.isEqualTo("dicomflow: 1 upload analysed (1 done, 0 failed)");
	}

}
