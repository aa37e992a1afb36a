package io.dicomflow.standalone;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.dicomflow.standalone.Dicomweb.Instance;
import io.dicomflow.standalone.Dicomweb.Part;
import io.dicomflow.standalone.Dicomweb.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOW-RS, QIDO-RS and WADO-RS against the whole product: the Store Instances Response and its status codes, the
 * query keys, retrieval of the exact stored bytes, and ownership (another user's instances do not exist for you).
 */
class DicomwebIT {

	private static final String DICOM_JSON = "application/dicom+json";

	private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"";

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void stowStoresEveryPartAndAnswersTheStoreInstancesResponse() {
		Instance first = Dicomweb.fresh("pydicom-MR_small.dcm");
		Instance second = first.sibling();

		Response response = Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(first), Part.dicom(second)));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith(DICOM_JSON);
		JsonNode body = response.json();
		assertThat(body.path("00081190").path("vr").asString()).isEqualTo("UR");
		assertThat(body.path("00081190").path("Value").get(0).asString()).endsWith("/dicomweb/studies/" + first.studyUid());
		JsonNode referenced = body.path("00081199").path("Value");
		assertThat(referenced).hasSize(2);
		assertThat(referenced.valueStream().map((item) -> item.path("00081155").path("Value").get(0).asString()))
			.containsExactly(first.sopInstanceUid(), second.sopInstanceUid());
		assertThat(referenced.get(0).path("00081150").path("Value").get(0).asString())
			.isEqualTo("1.2.840.10008.5.1.4.1.1.4");
		assertThat(referenced.get(0).path("00081190").path("Value").get(0).asString()).endsWith("/studies/"
				+ first.studyUid() + "/series/" + first.seriesUid() + "/instances/" + first.sopInstanceUid());
		assertThat(body.has("00081198")).isFalse();
		// stored through the normal ingest: file rows that the pipeline analyses like any upload
		JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);
		assertThat(db.queryForObject("select count(*) from upload_file where study_instance_uid = ? and owner = 'alice'",
				Long.class, first.studyUid())).isEqualTo(2);
	}

	@Test
	void oneBadPartFailsAloneAndTheRequestAnswers202() {
		Instance good = Dicomweb.fresh("pydicom-dicomdirtests-77654033_CT2_17106.dcm");

		Response response = Dicomweb.stow("alice", "/dicomweb/studies",
				List.of(Part.dicom("not a DICOM file".getBytes(StandardCharsets.US_ASCII)), Part.dicom(good),
						new Part("text/plain", "hello".getBytes(StandardCharsets.US_ASCII)), Part.dicom(new byte[0])));

		assertThat(response.status()).isEqualTo(202);
		JsonNode body = response.json();
		assertThat(body.path("00081199").path("Value")).hasSize(1);
		assertThat(body.path("00081199").path("Value").get(0).path("00081155").path("Value").get(0).asString())
			.isEqualTo(good.sopInstanceUid());
		JsonNode others = body.path("0008119A").path("Value");
		assertThat(others.valueStream().map((item) -> item.path("00081197").path("vr").asString())).containsOnly("US");
		assertThat(others.valueStream().map((item) -> item.path("00081197").path("Value").get(0).asInt()))
			.containsExactlyInAnyOrder(0xC002, 0xC00F, 0xC001);
	}

	@Test
	void anInstanceOfAnotherStudyThanThePathsFailsWithC409AndNothingStoredIs409() {
		Instance instance = Dicomweb.fresh("pydicom-MR_small.dcm");
		String otherStudy = Dicomweb.freshUid(40);

		Response response = Dicomweb.stow("alice", "/dicomweb/studies/" + otherStudy, List.of(Part.dicom(instance)));

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.contentType()).startsWith(DICOM_JSON);
		JsonNode failed = response.json().path("00081198").path("Value");
		assertThat(failed).hasSize(1);
		assertThat(failed.get(0).path("00081155").path("Value").get(0).asString()).isEqualTo(instance.sopInstanceUid());
		assertThat(failed.get(0).path("00081197").path("Value").get(0).asInt()).isEqualTo(0xC409);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?StudyInstanceUID=" + instance.studyUid(), null).json())
			.isEmpty();
	}

	@Test
	void theSameSopInstanceWithOtherBytesIsAConflictWith0111() {
		Instance original = Dicomweb.fresh("pydicom-MR_small.dcm");
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(original))).status()).isEqualTo(200);
		byte[] changed = original.bytes().clone();
		changed[changed.length - 1] ^= 0x01; // one pixel differs

		Response response = Dicomweb.stow("alice", "/dicomweb/studies/" + original.studyUid(),
				List.of(Part.dicom(changed)));

		assertThat(response.status()).isEqualTo(409);
		JsonNode failed = response.json().path("00081198").path("Value");
		assertThat(failed.get(0).path("00081155").path("Value").get(0).asString()).isEqualTo(original.sopInstanceUid());
		assertThat(failed.get(0).path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0111);
	}

	@Test
	void storingTheSameInstanceAgainSucceedsAndIsListedOnce() {
		Instance instance = Dicomweb.fresh("pydicom-MR_small.dcm");
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(instance))).status()).isEqualTo(200);
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(instance))).status()).isEqualTo(200);

		JsonNode instances = Dicomweb.get("alice", "/dicomweb/studies/" + instance.studyUid() + "/instances", null).json();
		assertThat(instances).hasSize(1);
	}

	@Test
	void wrongMediaTypesAre415AndABrokenBodyIs400AsProblemJson() {
		Instance instance = Dicomweb.fresh("pydicom-MR_small.dcm");
		byte[] body = Dicomweb.multipart("b", List.of(Part.dicom(instance)));

		Response xml = Dicomweb.stow("alice", "/dicomweb/studies", "multipart/related; type=\"application/dicom+xml\"; boundary=b", body);
		Response json = Dicomweb.stow("alice", "/dicomweb/studies", "application/json", "{}".getBytes(StandardCharsets.US_ASCII));
		byte[] truncated = java.util.Arrays.copyOf(body, body.length - 10);
		Response broken = Dicomweb.stow("alice", "/dicomweb/studies", MULTIPART_DICOM + "; boundary=b", truncated);
		Response noBoundary = Dicomweb.stow("alice", "/dicomweb/studies", MULTIPART_DICOM, body);

		assertThat(xml.status()).isEqualTo(415);
		assertThat(xml.contentType()).startsWith("application/problem+json");
		assertThat(json.status()).isEqualTo(415);
		assertThat(broken.status()).isEqualTo(400);
		assertThat(broken.contentType()).startsWith("application/problem+json");
		assertThat(broken.json().path("type").asString()).endsWith("/malformed-multipart");
		assertThat(noBoundary.status()).isEqualTo(400);
		// nothing of the broken request was stored
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?StudyInstanceUID=" + instance.studyUid(), null).json()).isEmpty();
	}

	@Test
	void qidoMatchesTheUsualKeysAndCountsTheStudysSeriesAndInstances() {
		Instance first = Dicomweb.fresh("pydicom-MR_small.dcm"); // StudyDate 20040826, MR
		Instance second = first.sibling();
		Instance otherSeries = first.inNewSeries();
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies/" + first.studyUid(),
				List.of(Part.dicom(first), Part.dicom(second), Part.dicom(otherSeries))).status()).isEqualTo(200);
		String patient = "/dicomweb/studies?PatientID=" + first.patientId();

		JsonNode studies = Dicomweb.get("alice", patient, DICOM_JSON).json();

		assertThat(studies).hasSize(1);
		JsonNode study = studies.get(0);
		assertThat(study.path("0020000D").path("Value").get(0).asString()).isEqualTo(first.studyUid());
		assertThat(study.path("00100020").path("Value").get(0).asString()).isEqualTo(first.patientId());
		assertThat(study.path("00080020").path("Value").get(0).asString()).isEqualTo("20040826");
		assertThat(study.path("00080061").path("Value").get(0).asString()).isEqualTo("MR");
		assertThat(study.path("00201206").path("Value").get(0).asInt()).isEqualTo(2);
		assertThat(study.path("00201208").path("Value").get(0).asInt()).isEqualTo(3);
		assertThat(study.path("00100010").path("vr").asString()).isEqualTo("PN");
		assertThat(study.path("00081190").path("Value").get(0).asString()).endsWith("/dicomweb/studies/" + first.studyUid());

		assertThat(Dicomweb.get("alice", patient + "&StudyDate=20040101-20041231", null).json()).hasSize(1);
		assertThat(Dicomweb.get("alice", patient + "&StudyDate=20040826", null).json()).hasSize(1);
		assertThat(Dicomweb.get("alice", patient + "&StudyDate=-20031231", null).json()).isEmpty();
		assertThat(Dicomweb.get("alice", patient + "&StudyDate=20040827-", null).json()).isEmpty();
		assertThat(Dicomweb.get("alice", patient + "&Modality=MR", null).json()).hasSize(1);
		assertThat(Dicomweb.get("alice", patient + "&00080060=CT", null).json()).isEmpty();
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?StudyInstanceUID=" + first.studyUid(), null).json()).hasSize(1);
		assertThat(Dicomweb.get("alice", "/dicomweb/studies?PatientID=" + first.patientId().substring(0, 2) + "*&StudyInstanceUID="
				+ first.studyUid(), null).json()).hasSize(1);
		Response badDate = Dicomweb.get("alice", patient + "&StudyDate=2004", null);
		assertThat(badDate.status()).isEqualTo(400);
		assertThat(badDate.contentType()).startsWith("application/problem+json");

		JsonNode series = Dicomweb.get("alice", "/dicomweb/studies/" + first.studyUid() + "/series", null).json();
		assertThat(series.valueStream().map((s) -> s.path("0020000E").path("Value").get(0).asString()))
			.containsExactlyInAnyOrder(first.seriesUid(), otherSeries.seriesUid());
		assertThat(series.valueStream().map((s) -> s.path("00201209").path("Value").get(0).asInt()))
			.containsExactlyInAnyOrder(2, 1);
		assertThat(series.get(0).path("00080060").path("Value").get(0).asString()).isEqualTo("MR");

		String instancesPath = "/dicomweb/studies/" + first.studyUid() + "/series/" + first.seriesUid() + "/instances";
		JsonNode instances = Dicomweb.get("alice", instancesPath, null).json();
		assertThat(instances.valueStream().map((i) -> i.path("00080018").path("Value").get(0).asString()))
			.containsExactlyInAnyOrder(first.sopInstanceUid(), second.sopInstanceUid());
		assertThat(instances.get(0).path("00080016").path("Value").get(0).asString()).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
		assertThat(instances.get(0).path("00280010").path("Value").get(0).asInt()).isEqualTo(64);
		JsonNode page1 = Dicomweb.get("alice", instancesPath + "?limit=1", null).json();
		JsonNode page2 = Dicomweb.get("alice", instancesPath + "?limit=1&offset=1", null).json();
		assertThat(page1).hasSize(1);
		assertThat(page2).hasSize(1);
		assertThat(page1.get(0).path("00080018")).isNotEqualTo(page2.get(0).path("00080018"));
		assertThat(Dicomweb.get("alice", instancesPath + "?offset=2", null).json()).isEmpty();
	}

	@Test
	void anotherUsersInstancesAreAbsentFromQueriesAnd404ButAnAdminSeesThem() {
		Instance instance = Dicomweb.fresh("pydicom-dicomdirtests-77654033_CT2_17106.dcm");
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(instance))).status()).isEqualTo(200);
		String study = "/dicomweb/studies/" + instance.studyUid();
		String instancePath = study + "/series/" + instance.seriesUid() + "/instances/" + instance.sopInstanceUid();

		assertThat(Dicomweb.get("bob", "/dicomweb/studies?PatientID=" + instance.patientId(), null).json()).isEmpty();
		assertThat(Dicomweb.get("bob", study + "/series", null).json()).isEmpty();
		assertThat(Dicomweb.get("bob", study + "/instances", null).json()).isEmpty();
		Response retrieve = Dicomweb.get("bob", instancePath, MULTIPART_DICOM);
		assertThat(retrieve.status()).isEqualTo(404);
		assertThat(retrieve.contentType()).startsWith("application/problem+json");
		assertThat(Dicomweb.get("bob", instancePath + "/metadata", DICOM_JSON).status()).isEqualTo(404);
		assertThat(Dicomweb.get("bob", study, MULTIPART_DICOM).status()).isEqualTo(404);

		assertThat(Dicomweb.get("admin", "/dicomweb/studies?PatientID=" + instance.patientId(), null).json()).hasSize(1);
		assertThat(Dicomweb.get("admin", instancePath, MULTIPART_DICOM).status()).isEqualTo(200);
	}

	@Test
	void anUploadOnlyAccountMayStoreButNeverSearchOrRetrieve() {
		Instance instance = Dicomweb.fresh("pydicom-MR_small.dcm");
		String instancePath = "/dicomweb/studies/" + instance.studyUid() + "/series/" + instance.seriesUid()
				+ "/instances/" + instance.sopInstanceUid();
		String byStudy = "/dicomweb/studies?StudyInstanceUID=" + instance.studyUid();

		assertThat(Dicomweb.stow("modality", "/dicomweb/studies", List.of(Part.dicom(instance))).status()).isEqualTo(200);

		assertThat(Dicomweb.get("modality", byStudy, null).status()).isEqualTo(403);
		assertThat(Dicomweb.get("modality", instancePath, MULTIPART_DICOM).status()).isEqualTo(403);
		assertThat(Dicomweb.get("modality", instancePath + "/metadata", DICOM_JSON).status()).isEqualTo(403);
		// the instance is the uploader's: no other user sees it, an admin does
		assertThat(Dicomweb.get("alice", byStudy, null).json()).isEmpty();
		assertThat(Dicomweb.get("admin", byStudy, null).json()).hasSize(1);
	}

	@Test
	void wadoRetrievesTheStoredBytesAndTheirMetadata() {
		Instance first = Dicomweb.fresh("pydicom-MR_small.dcm");
		Instance second = first.sibling();
		assertThat(Dicomweb.stow("alice", "/dicomweb/studies", List.of(Part.dicom(first), Part.dicom(second))).status())
			.isEqualTo(200);
		String instancePath = "/dicomweb/studies/" + first.studyUid() + "/series/" + first.seriesUid() + "/instances/"
				+ first.sopInstanceUid();

		Response one = Dicomweb.get("alice", instancePath, MULTIPART_DICOM + "; transfer-syntax=*");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.contentType()).startsWith("multipart/related").contains("type=\"application/dicom\"");
		List<Map.Entry<Map<String, String>, byte[]>> parts = one.parts();
		assertThat(parts).hasSize(1);
		assertThat(parts.get(0).getKey().get("content-type")).startsWith("application/dicom");
		assertThat(parts.get(0).getValue()).isEqualTo(first.bytes());

		Response study = Dicomweb.get("alice", "/dicomweb/studies/" + first.studyUid(), MULTIPART_DICOM);
		assertThat(study.parts()).extracting(Map.Entry::getValue).containsExactlyInAnyOrder(first.bytes(), second.bytes());

		assertThat(Dicomweb.get("alice", instancePath, "application/json").status()).isEqualTo(406);

		JsonNode metadata = Dicomweb.get("alice", instancePath + "/metadata", DICOM_JSON).json();
		assertThat(metadata).hasSize(1);
		JsonNode attributes = metadata.get(0);
		assertThat(attributes.path("00080018").path("Value").get(0).asString()).isEqualTo(first.sopInstanceUid());
		assertThat(attributes.path("00100020").path("vr").asString()).isEqualTo("LO");
		assertThat(attributes.path("00100020").path("Value").get(0).asString()).isEqualTo(first.patientId());
		assertThat(attributes.path("00280010").path("Value").get(0).asInt()).isEqualTo(64);
		assertThat(attributes.path("00100010").path("Value").get(0).has("Alphabetic")).isTrue();
		assertThat(attributes.has("7FE00010")).isFalse();
		assertThat(attributes.path("00083002").path("Value").get(0).asString()).isEqualTo("1.2.840.10008.1.2.1");
		JsonNode seriesMetadata = Dicomweb.get("alice", "/dicomweb/studies/" + first.studyUid() + "/series/"
				+ first.seriesUid() + "/metadata", DICOM_JSON).json();
		assertThat(seriesMetadata).hasSize(2);
	}

}
