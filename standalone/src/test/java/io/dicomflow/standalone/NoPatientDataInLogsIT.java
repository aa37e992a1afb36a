package io.dicomflow.standalone;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The brief's "never log patient data", end to end: files with known PatientName, PatientID and
 * PatientBirthDate go through every path that logs — accepted and analysed, duplicate, conflicting, refused by
 * the validator, truncated, refused by the analysis, sent by STOW-RS, searched for by QIDO (also with a
 * malformed query) and read back by WADO — while every log line of every service in the JVM is captured (with
 * the product's loggers at DEBUG, exception chains included, and the console). No line may contain any of the
 * values, in any case, as DICOM encodes them ({@code FAMILY^GIVEN}) or as a person would write them.
 */
class NoPatientDataInLogsIT {

	// unusual enough that no other test, log template or library message contains them by chance
	private static final String FAMILY = "Quuxleyvander";

	private static final String GIVEN = "Mirabeth";

	private static final String PATIENT_ID = "PHI-73915-QX";

	private static final String OTHER_PATIENT_ID = "PHI-88231-ZK";

	private static final String BIRTH_DATE = "19370412";

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void noPatientNameIdOrBirthDateReachesAnyLogLine() throws Exception {
		List<String> lines;
		String canary = "capture-canary-" + System.nanoTime();
		try (LogCapture capture = LogCapture.start()) {
			// the capture itself works: a product logger at DEBUG, and the console
			org.slf4j.LoggerFactory.getLogger("io.dicomflow.upload.canary").debug("{} (debug)", canary);
			System.out.println(canary + " (stdout)");
			exercise();
			lines = capture.lines();
		}

		assertThat(lines).as("captured log lines").hasSizeGreaterThan(10)
			.anyMatch((line) -> line.contains(canary + " (debug)"))
			.anyMatch((line) -> line.contains(canary + " (stdout)"))
			.anyMatch((line) -> line.contains("Analysed instance"));
		List<String> needles = needles();
		List<String> leaks = new ArrayList<>();
		for (String line : lines) {
			String lower = line.toLowerCase(Locale.ROOT);
			for (String needle : needles) {
				if (lower.contains(needle.toLowerCase(Locale.ROOT))) {
					leaks.add("[" + needle + "] " + line);
				}
			}
		}
		assertThat(leaks).as("log lines with patient data").isEmpty();
	}

	private void exercise() {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		String sop = Part10Writer.uid();
		byte[] good = patientImage(sop, study, series, PATIENT_ID, 8, Part10Writer.pixels(11));

		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("good.dcm", good);
		// Bits Allocated 24 passes the upload's checks and fails the analysis (FAILED, with its reason logged)
		files.put("unanalysable.dcm", patientImage(Part10Writer.uid(), study, series, PATIENT_ID, 24,
				new byte[8 * 8 * 3]));
		files.put("no-pixels.dcm", patientImage(Part10Writer.uid(), study, series, PATIENT_ID, 8, null));
		byte[] whole = patientImage(Part10Writer.uid(), study, series, PATIENT_ID, 8, Part10Writer.pixels(12));
		files.put("cut.dcm", Arrays.copyOf(whole, whole.length - 20));
		files.put("unknown-charset.dcm", Part10Writer.empty()
			.mediaStorage(Part10Writer.CT_IMAGE_STORAGE, sop + "9")
			.string(0x00080005, "CS", "ISO_IR 999")
			.ui(0x00080016, Part10Writer.CT_IMAGE_STORAGE)
			.ui(0x00080018, sop + "9")
			.string(0x00080060, "CS", "CT")
			.string(0x00100010, "PN", FAMILY + "^" + GIVEN)
			.string(0x00100020, "LO", PATIENT_ID)
			.string(0x00100030, "DA", BIRTH_DATE)
			.ui(0x0020000D, study)
			.ui(0x0020000E, series)
			.toBytes());
		Pipeline.Response first = this.pipeline.upload("alice", files);
		assertThat(first.status()).isEqualTo(202);
		Map<String, String> outcomes = outcomes(first.body());
		assertThat(outcomes).containsEntry("good.dcm", "ACCEPTED")
			.containsEntry("unanalysable.dcm", "ACCEPTED")
			.containsEntry("no-pixels.dcm", "PIXEL_DATA_MISSING")
			.containsEntry("cut.dcm", "LENGTH_PAST_EOF");
		String uploadId = first.body().path("uploadId").asString();

		// the same bytes again, then other bytes (another patient id) under the same UIDs
		Pipeline.Response again = this.pipeline.upload("alice", Map.of("again.dcm", good));
		assertThat(outcomes(again.body())).containsEntry("again.dcm", "DUPLICATE");
		Pipeline.Response conflict = this.pipeline.upload("alice", Map.of("conflict.dcm",
				patientImage(sop, study, series, OTHER_PATIENT_ID, 8, Part10Writer.pixels(13))));
		assertThat(outcomes(conflict.body())).containsEntry("conflict.dcm", "CONFLICT");
		// another owner under the same UIDs is stored apart (docs/decisions/0011), and must not log either
		assertThat(this.pipeline.upload("bob", Map.of("bob.dcm",
				patientImage(sop, study, series, OTHER_PATIENT_ID, 8, Part10Writer.pixels(14))))
			.status()).isEqualTo(202);

		// STOW-RS, QIDO with the patient's values as matching keys (and a malformed one), WADO metadata
		Dicomweb.Response stow = Dicomweb.stow("alice", "/dicomweb/studies", List.of(Dicomweb.Part
			.dicom(patientImage(Part10Writer.uid(), study, series, PATIENT_ID, 8, Part10Writer.pixels(15)))));
		assertThat(stow.status()).isEqualTo(200);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?PatientName=" + encode(FAMILY + "*"),
				"application/dicom+json").status()).isEqualTo(200);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?PatientID=" + encode(PATIENT_ID),
				"application/dicom+json").status()).isEqualTo(200);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?PatientBirthDate=" + encode(BIRTH_DATE + "-x" + PATIENT_ID),
				"application/dicom+json").status()).isBetween(200, 499);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies/" + study + "/metadata", "application/dicom+json")
			.status()).isEqualTo(200);

		// the analysis of both accepted files ends (one DONE, one FAILED), and the good one is NOTIFIED
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.get("alice", "/api/uploads/" + uploadId).body(), (body) -> {
				Map<String, JsonNode> byName = new LinkedHashMap<>();
				body.path("files").forEach((f) -> byName.put(f.path("name").asString(), f));
				return byName.containsKey("good.dcm") && byName.containsKey("unanalysable.dcm")
						&& byName.get("good.dcm").path("transitions").has("NOTIFIED")
						&& byName.get("unanalysable.dcm").path("transitions").has("FAILED");
			});
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.pipeline.mailsMentioning(Pipeline.email("alice"), uploadId).isEmpty());
	}

	/** What must not appear: every value, its parts, and the forms a log could plausibly carry it in. */
	private static List<String> needles() {
		List<String> needles = new ArrayList<>(List.of(FAMILY, GIVEN, FAMILY + "^" + GIVEN, GIVEN + " " + FAMILY,
				FAMILY + ", " + GIVEN, PATIENT_ID, OTHER_PATIENT_ID, BIRTH_DATE, "1937-04-12", "12.04.1937",
				"04/12/1937"));
		// a hex dump of the bytes, as some codecs and parsers print them
		for (String value : List.of(FAMILY, PATIENT_ID, OTHER_PATIENT_ID, BIRTH_DATE)) {
			needles.add(HexFormat.of().formatHex(value.getBytes(StandardCharsets.US_ASCII)));
			needles.add(HexFormat.ofDelimiter(" ").formatHex(value.getBytes(StandardCharsets.US_ASCII)));
		}
		return needles;
	}

	private static byte[] patientImage(String sop, String study, String series, String patientId, int bitsAllocated,
			byte[] pixels) {
		Part10Writer writer = Part10Writer.empty()
			.mediaStorage(Part10Writer.CT_IMAGE_STORAGE, sop)
			.ui(0x00080016, Part10Writer.CT_IMAGE_STORAGE)
			.ui(0x00080018, sop)
			.string(0x00080060, "CS", "CT")
			.string(0x00100010, "PN", FAMILY + "^" + GIVEN)
			.string(0x00100020, "LO", patientId)
			.string(0x00100030, "DA", BIRTH_DATE)
			.ui(0x0020000D, study)
			.ui(0x0020000E, series);
		if (pixels != null) {
			writer.us(0x00280002, 1)
				.string(0x00280004, "CS", "MONOCHROME2")
				.us(0x00280010, 8)
				.us(0x00280011, 8)
				.us(0x00280100, bitsAllocated)
				.us(0x00280101, Math.min(bitsAllocated, 16))
				.us(0x00280102, Math.min(bitsAllocated, 16) - 1)
				.us(0x00280103, 0)
				.element(0x7FE00010, "OB", pixels);
		}
		return writer.toBytes();
	}

	private static Map<String, String> outcomes(JsonNode receipt) {
		Map<String, String> outcomes = new LinkedHashMap<>();
		for (JsonNode file : receipt.path("files")) {
			String outcome = file.path("outcome").asString();
			outcomes.put(file.path("name").asString(), outcome.equals("ACCEPTED") || outcome.equals("DUPLICATE")
					|| outcome.equals("CONFLICT") ? outcome : file.path("rejection").path("code").asString());
		}
		return outcomes;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
