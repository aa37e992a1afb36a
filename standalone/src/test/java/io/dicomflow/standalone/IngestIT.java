package io.dicomflow.standalone;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest over HTTP on real infrastructure: every validation rule's reason code, DUPLICATE and CONFLICT,
 * nothing left behind by a refused file, multipart S3 uploads, and 10,000 files in one request. Crafted files
 * get fresh UIDs, so the tests do not depend on each other or on the other end-to-end tests.
 */
class IngestIT {

	private final Pipeline pipeline = Pipeline.get();

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	private final S3Client s3 = this.pipeline.services.upload().getBean(S3Client.class);

	private final String bucket = this.pipeline.infrastructure.s3Bucket();

	@Test
	void eachRuleAnswersItsOwnReasonCodeAndOnlyTheGoodFileIsKept() throws Exception {
		String study = Part10Writer.uid();
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("good.dcm", image(study, Part10Writer.uid(), 1).toBytes());
		files.put("corpus-good.dcm", Pipeline.corpus("pydicom-JPEG2000.dcm"));
		files.put("empty.dcm", new byte[0]);
		files.put("picture.png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I',
				'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0 });
		files.put("archive.zip", zip(image(study, Part10Writer.uid(), 2).toBytes()));
		byte[] noDicm = image(study, Part10Writer.uid(), 3).toBytes();
		noDicm[129] = 'X';
		files.put("no-dicm.dcm", noDicm);
		byte[] whole = image(study, Part10Writer.uid(), 4).toBytes();
		files.put("cut.dcm", Arrays.copyOf(whole, whole.length - 20));
		files.put("bare.dcm", Pipeline.corpus("pydicom-ExplVR_LitEndNoMeta.dcm"));
		files.put("traversal.dcm", Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, "../../x", study,
				Part10Writer.uid(), Part10Writer.pixels(5)).toBytes());
		files.put("no-pixels.dcm",
				Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, Part10Writer.uid(), null)
					.toBytes());
		files.put("unknown-ts.dcm", image(study, Part10Writer.uid(), 6).transferSyntax("1.2.3.4.5.6.7").toBytes());
		files.put("no-study.dcm", Pipeline.corpus("fodicom-multiframe.dcm"));

		Pipeline.Response response = this.pipeline.upload("bob", files);

		assertThat(response.status()).isEqualTo(202);
		Map<String, String> codes = new LinkedHashMap<>();
		for (JsonNode file : response.body().path("files")) {
			codes.put(file.path("name").asString(), file.path("outcome").asString().equals("ACCEPTED") ? "ACCEPTED"
					: file.path("rejection").path("code").asString());
		}
		assertThat(codes).containsExactly(Map.entry("good.dcm", "ACCEPTED"), Map.entry("corpus-good.dcm", "ACCEPTED"),
				Map.entry("empty.dcm", "EMPTY_FILE"), Map.entry("picture.png", "NOT_DICOM"),
				Map.entry("archive.zip", "NOT_DICOM"), Map.entry("no-dicm.dcm", "NOT_PART10"),
				Map.entry("cut.dcm", "LENGTH_PAST_EOF"), Map.entry("bare.dcm", "NOT_PART10"),
				Map.entry("traversal.dcm", "INVALID_UID"), Map.entry("no-pixels.dcm", "PIXEL_DATA_MISSING"),
				Map.entry("unknown-ts.dcm", "UNKNOWN_TRANSFER_SYNTAX"), Map.entry("no-study.dcm", "MISSING_ATTRIBUTE"));
		JsonNode traversal = response.body().path("files").get(8).path("rejection");
		assertThat(traversal.path("attribute").asString()).isEqualTo("SOPInstanceUID");
		// the refused files share the good file's study: only the good one is stored under it
		assertThat(count("select count(*) from upload_file where study_instance_uid = '" + study + "'")).isEqualTo(1);
		assertThat(keys()).filteredOn((key) -> key.contains(study)).hasSize(1);
		assertThat(keys()).noneMatch((key) -> key.contains("..") || key.contains("/quarantine/"));
		assertThat(this.s3.listMultipartUploads((r) -> r.bucket(this.bucket)).uploads()).isEmpty();
	}

	@Test
	void theSameBytesAgainAreADuplicateAndDifferentBytesUnderTheSameUidAConflict() {
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		String sop = Part10Writer.uid();
		byte[] original = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, sop, study, series, Part10Writer.pixels(1))
			.toBytes();
		Pipeline.Response first = this.pipeline.upload("alice", Map.of("a.dcm", original));
		assertThat(first.status()).isEqualTo(202);
		JsonNode accepted = first.body().path("files").get(0);
		assertThat(accepted.path("outcome").asString()).isEqualTo("ACCEPTED");
		long eventsBefore = count("select count(*) from outbox_event where headers->>'type' = 'ImageUploaded'");

		Pipeline.Response again = this.pipeline.upload("alice", Map.of("a-again.dcm", original));
		assertThat(again.status()).isEqualTo(202);
		JsonNode duplicate = again.body().path("files").get(0);
		assertThat(duplicate.path("outcome").asString()).isEqualTo("DUPLICATE");
		assertThat(duplicate.path("fileId").asString()).isEqualTo(accepted.path("fileId").asString());
		assertThat(duplicate.path("uploadId").asString()).isEqualTo(first.body().path("uploadId").asString());
		assertThat(again.body().path("uploadId").isNull() || again.body().path("uploadId").isMissingNode()).isTrue();

		// same UIDs, another patient id and other pixels
		byte[] changed = Part10Writer.empty()
			.ui(0x00080016, Part10Writer.CT_IMAGE_STORAGE)
			.ui(0x00080018, sop)
			.string(0x00080060, "CS", "CT")
			.string(0x00100010, "PN", "Test^Patient")
			.string(0x00100020, "LO", "OTHER-2")
			.ui(0x0020000D, study)
			.ui(0x0020000E, series)
			.toBytes();
		byte[] conflicting = withPixelsOf(changed, original);
		Pipeline.Response conflict = this.pipeline.upload("alice", Map.of("a-changed.dcm", conflicting));
		assertThat(conflict.status()).isEqualTo(400);
		assertThat(conflict.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode outcome = conflict.body().path("files").get(0);
		assertThat(outcome.path("outcome").asString()).isEqualTo("CONFLICT");
		assertThat(outcome.path("rejection").path("code").asString()).isEqualTo("CONFLICT");
		assertThat(outcome.path("differences").valueStream().map(JsonNode::asString)).contains("PatientID")
			.doesNotContain("SOPInstanceUID", "StudyInstanceUID");

		assertThat(count("select count(*) from upload_file where sop_instance_uid = '" + sop + "'")).isEqualTo(1);
		assertThat(count("select count(*) from outbox_event where headers->>'type' = 'ImageUploaded'"))
			.isEqualTo(eventsBefore);
		HeadObjectResponse head = this.s3.headObject((r) -> r.bucket(this.bucket)
			.key(ObjectKeys.instanceKey("default", "alice", study, series, sop)));
		assertThat(head.metadata().get("sha256")).isEqualTo(accepted.path("sha256").asString());
		assertThat(head.contentLength()).isEqualTo(original.length);
	}

	@Test
	void aFileAboveTheMultipartThresholdIsStoredInPartsWithNothingLeftPending() throws Exception {
		// 8 MiB of pixels: above the 6MB threshold the Pipeline configures, so two 5MB parts
		int rows = 2048;
		int columns = 4096;
		byte[] pixels = new byte[rows * columns];
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (byte) (i % 251);
		}
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		String sop = Part10Writer.uid();
		byte[] bytes = Part10Writer
			.image(Part10Writer.SECONDARY_CAPTURE, sop, study, series, rows, columns, pixels)
			.toBytes();

		Pipeline.Response response = this.pipeline.upload("bob", Map.of("large.dcm", bytes));

		assertThat(response.status()).isEqualTo(202);
		JsonNode file = response.body().path("files").get(0);
		assertThat(file.path("outcome").asString()).isEqualTo("ACCEPTED");
		String key = ObjectKeys.instanceKey("default", "bob", study, series, sop);
		HeadObjectResponse head = this.s3.headObject((r) -> r.bucket(this.bucket).key(key));
		assertThat(head.contentLength()).isEqualTo(bytes.length);
		assertThat(head.metadata()).containsEntry("sha256", file.path("sha256").asString())
			.containsEntry("sop-class-uid", Part10Writer.SECONDARY_CAPTURE)
			.containsEntry("transfer-syntax-uid", Part10Writer.EXPLICIT_VR_LE);
		// a multipart object's ETag is "<md5 of the part md5s>-<number of parts>"
		assertThat(head.eTag()).endsWith("-2\"");
		assertThat(this.s3.listMultipartUploads((r) -> r.bucket(this.bucket)).uploads()).isEmpty();
		byte[] stored = this.s3.getObjectAsBytes((r) -> r.bucket(this.bucket).key(key)).asByteArray();
		assertThat(stored).isEqualTo(bytes);
	}

	@Test
	void tenThousandFilesInOneRequest() {
		// 10,000 parts of 10 distinct instances: the request, its parts and 10,000 per-file outcomes are the real
		// load here; only 10 new instances are stored, so the analysis of 10,000 images stays out of the shared
		// test pipeline (that throughput belongs to bench/)
		String study = Part10Writer.uid();
		String series = Part10Writer.uid();
		List<byte[]> distinct = new java.util.ArrayList<>();
		for (int i = 0; i < 10; i++) {
			distinct.add(Part10Writer
				.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), study, series, Part10Writer.pixels(i))
				.toBytes());
		}
		Map<String, byte[]> files = new LinkedHashMap<>();
		for (int i = 0; i < 10_000; i++) {
			files.put(String.format("f%05d.dcm", i), distinct.get(i % 10));
		}

		Pipeline.Response response = this.pipeline.upload("admin", files);

		assertThat(response.status()).isEqualTo(202);
		JsonNode outcomes = response.body().path("files");
		assertThat(outcomes).hasSize(10_000);
		assertThat(outcomes.valueStream().filter((f) -> f.path("outcome").asString().equals("ACCEPTED"))).hasSize(10);
		assertThat(outcomes.valueStream().filter((f) -> f.path("outcome").asString().equals("DUPLICATE")))
			.hasSize(9_990);
		assertThat(outcomes.get(9_999).path("name").asString()).isEqualTo("f09999.dcm");
		assertThat(outcomes.get(9_999).path("fileId").asString()).isEqualTo(outcomes.get(9).path("fileId").asString());
		String uploadId = response.body().path("uploadId").asString();
		assertThat(count("select count(*) from upload_file where upload_id = '" + uploadId + "'")).isEqualTo(10);
		assertThat(count("select count(*) from outbox_event where headers->>'type' = 'UploadCompleted' "
				+ "and convert_from(payload, 'UTF8') like '%" + uploadId + "%'")).isEqualTo(1);
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAgain() {
		byte[] bytes = image(Part10Writer.uid(), Part10Writer.uid(), 8).toBytes();
		String key = "retry-" + Part10Writer.uid();
		Pipeline.Response first = uploadWithKey("bob", key, bytes);
		Pipeline.Response retry = uploadWithKey("bob", key, bytes);
		assertThat(first.status()).isEqualTo(202);
		assertThat(retry.status()).isEqualTo(202);
		// the replay is the first answer (ACCEPTED, same upload), not a new DUPLICATE outcome
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.body().path("files").get(0).path("outcome").asString()).isEqualTo("ACCEPTED");
		String uploadId = first.body().path("uploadId").asString();
		assertThat(count("select count(*) from upload where id = '" + uploadId + "'")).isEqualTo(1);
		// keys are per owner: the same key from another user is a request of its own
		Pipeline.Response alice = uploadWithKey("alice", key, bytes);
		assertThat(alice.body().path("uploadId").asString()).isNotEqualTo(uploadId);
	}

	private Pipeline.Response uploadWithKey(String user, String key, byte[] bytes) {
		org.springframework.http.client.MultipartBodyBuilder body = new org.springframework.http.client.MultipartBodyBuilder();
		body.part("files", new org.springframework.core.io.ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "keyed.dcm";
			}
		});
		return this.pipeline.http.post()
			.uri("/api/uploads")
			.header("Authorization", Pipeline.authorization(user))
			.header("Idempotency-Key", key)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body.build())
			.exchange((request, response) -> new Pipeline.Response(response.getStatusCode().value(),
					response.getHeaders().getContentType(), Pipeline.JSON.readTree(response.getBody().readAllBytes())));
	}

	@Test
	void moreFilesThanConfiguredIs413() {
		Map<String, byte[]> files = new LinkedHashMap<>();
		byte[] tiny = { 1 };
		for (int i = 0; i < 10_001; i++) {
			files.put("f" + i, tiny);
		}
		Pipeline.Response response = this.pipeline.upload("bob", files);
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("type").asString()).endsWith("/too-many-files");
	}

	/** {@code header} (a Part 10 file without pixel data) followed by the pixel module of {@code image}. */
	private static byte[] withPixelsOf(byte[] header, byte[] image) {
		// the crafted image's pixel module is its last 10 elements: 8 US elements (10 bytes each, one CS of 20)
		// and Pixel Data; simplest is to rebuild it
		byte[] pixelModule = Part10Writer.empty()
			.us(0x00280002, 1)
			.string(0x00280004, "CS", "MONOCHROME2")
			.us(0x00280010, 8)
			.us(0x00280011, 8)
			.us(0x00280100, 8)
			.us(0x00280101, 8)
			.us(0x00280102, 7)
			.us(0x00280103, 0)
			.element(0x7FE00010, "OB", Part10Writer.pixels(99))
			.toBytes();
		// drop the second file's preamble and meta: find where its dataset starts (after the meta group)
		int start = datasetStart(pixelModule);
		byte[] out = Arrays.copyOf(header, header.length + pixelModule.length - start);
		System.arraycopy(pixelModule, start, out, header.length, pixelModule.length - start);
		return out;
	}

	private static int datasetStart(byte[] part10) {
		int groupLength = (part10[140] & 0xFF) | (part10[141] & 0xFF) << 8 | (part10[142] & 0xFF) << 16
				| (part10[143] & 0xFF) << 24;
		return 144 + groupLength;
	}

	private static Part10Writer image(String study, String sop, int seed) {
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, sop, study, Part10Writer.uid(),
				Part10Writer.pixels(seed));
	}

	private static byte[] zip(byte[] content) throws Exception {
		ByteArrayOutputStream zip = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(zip)) {
			out.putNextEntry(new ZipEntry("image.dcm"));
			out.write(content);
			out.closeEntry();
		}
		return zip.toByteArray();
	}

	private long count(String sql) {
		return this.db.queryForObject(sql, Long.class);
	}

	private List<String> keys() {
		return this.s3.listObjectsV2Paginator((r) -> r.bucket(this.bucket))
			.contents()
			.stream()
			.map((o) -> o.key())
			.toList();
	}

}
