package io.dicomflow.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dicomflow.standalone.Dicomweb.Instance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orthanc (Debian packages {@code orthanc} and {@code orthanc-dicomweb}, see .ci/packages.txt), configured with
 * dicomflow as a DICOMweb server, pushes a study to it with STOW-RS, finds it with QIDO-RS and pulls it back with
 * WADO-RS. Orthanc runs on free ports with its own configuration and storage under target/. Skipped when Orthanc is
 * not installed, unless {@code -Dinterop=required}.
 */
class OrthancInteropIT {

	private static final String ORTHANC = "/usr/sbin/Orthanc";

	private static final String PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static Process orthanc;

	private static String orthancUrl;

	private static Path log;

	private static String[] missing;

	@BeforeAll
	static void startOrthanc() throws Exception {
		missing = new String[] { Interop.missing(Interop.find(ORTHANC) != null, "Orthanc (" + ORTHANC + ")", "orthanc"),
				Interop.missing(Files.isRegularFile(Path.of(PLUGIN)), "Orthanc's DICOMweb plugin (" + PLUGIN + ")",
						"orthanc-dicomweb") };
		if (missing[0] != null || missing[1] != null) {
			return; // each test is skipped (or failed, -Dinterop=required) by requireOrthanc
		}
		Pipeline pipeline = Pipeline.get();
		Path dir = Interop.workDirectory("orthanc");
		int httpPort = Interop.freePort();
		Map<String, Object> server = new LinkedHashMap<>();
		server.put("Url", pipeline.services.uploadUrl() + "/dicomweb/");
		server.put("HttpHeaders", Map.of("Authorization", Interop.authorization()));
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("Name", "dicomflow-interop");
		config.put("StorageDirectory", dir.resolve("storage").toString());
		config.put("IndexDirectory", dir.resolve("index").toString());
		config.put("HttpPort", httpPort);
		config.put("DicomPort", Interop.freePort());
		config.put("DicomServerEnabled", false);
		// Orthanc as a Storage SCU of dicomflow's SCP (its calling AE title ORTHANC sends as alice)
		config.put("DicomAet", "ORTHANC");
		config.put("DicomModalities", Map.of("dicomflow",
				List.of(DemoUsers.SCP_AE_TITLE, "127.0.0.1", pipeline.services.dimsePort())));
		config.put("RemoteAccessAllowed", false);
		config.put("AuthenticationEnabled", false);
		config.put("HttpTimeout", 60);
		// Orthanc closes idle keep-alive connections after 1 s by default, under the feet of the test's client
		config.put("KeepAliveTimeout", 120);
		config.put("Plugins", List.of(PLUGIN));
		config.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/", "Servers", Map.of("dicomflow", server)));
		Path configFile = dir.resolve("orthanc.json");
		Files.writeString(configFile, Pipeline.JSON.writeValueAsString(config));
		log = dir.resolve("orthanc.log");
		orthanc = Interop.start(List.of(ORTHANC, "--verbose", configFile.toString()), dir, log);
		orthancUrl = "http://127.0.0.1:" + httpPort;
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			assertThat(orthanc.isAlive()).as("Orthanc is running; log: %s", Interop.tail(log)).isTrue();
			try {
				if (send(HttpRequest.newBuilder(URI.create(orthancUrl + "/system")).GET().build()).statusCode() == 200) {
					break;
				}
			}
			catch (java.io.IOException ex) {
				// not listening yet
			}
			assertThat(System.nanoTime()).as("Orthanc answers in time; log: %s", Interop.tail(log)).isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	@BeforeEach
	void requireOrthanc() {
		Interop.require(missing);
	}

	@AfterAll
	static void stopOrthanc() {
		Interop.stop(orthanc);
	}

	@Test
	void orthancStoresAStudyInDicomflowThenFindsAndRetrievesIt() throws Exception {
		Instance first = Dicomweb.fresh("pydicom-MR_small.dcm");
		Instance second = first.sibling();
		Instance third = first.inNewSeries();
		String orthancStudy = null;
		for (Instance instance : List.of(first, second, third)) {
			HttpResponse<String> stored = send(HttpRequest.newBuilder(URI.create(orthancUrl + "/instances"))
				.header("Content-Type", "application/dicom")
				.POST(HttpRequest.BodyPublishers.ofByteArray(instance.bytes()))
				.build());
			assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
			orthancStudy = Pipeline.JSON.readTree(stored.body()).path("ParentStudy").asString();
		}

		// STOW-RS: Orthanc pushes its study to dicomflow
		HttpResponse<String> stow = post("/dicom-web/servers/dicomflow/stow",
				Map.of("Resources", List.of(orthancStudy), "Synchronous", true));
		assertThat(stow.statusCode()).as("STOW through Orthanc: %s; log: %s", stow.body(), Interop.tail(log)).isEqualTo(200);
		assertThat(Dicomweb.get(Interop.USER, "/dicomweb/studies/" + first.studyUid() + "/instances", null).json())
			.hasSize(3);

		// QIDO-RS: Orthanc queries dicomflow
		HttpResponse<String> studies = post("/dicom-web/servers/dicomflow/qido",
				Map.of("Uri", "/studies", "Arguments", Map.of("PatientID", first.patientId(), "StudyDate", "20040101-20041231")));
		assertThat(studies.statusCode()).as(studies.body()).isEqualTo(200);
		JsonNode found = Pipeline.JSON.readTree(studies.body());
		assertThat(found).as(studies.body()).hasSize(1);
		// Orthanc parses the DICOM JSON answer and re-expresses it in its own form (named tags, single values)
		assertThat(value(found.get(0), "0020000D")).isEqualTo(first.studyUid());
		assertThat(value(found.get(0), "00100020")).isEqualTo(first.patientId());
		assertThat(value(found.get(0), "00100010")).isEqualTo("CompressedSamples^MR1");
		assertThat(value(found.get(0), "00080020")).isEqualTo("20040826");
		assertThat(value(found.get(0), "00080061")).isEqualTo("MR");
		HttpResponse<String> series = post("/dicom-web/servers/dicomflow/qido",
				Map.of("Uri", "/studies/" + first.studyUid() + "/series"));
		assertThat(Pipeline.JSON.readTree(series.body()).valueStream()
			.map((s) -> value(s, "0020000E")))
			.containsExactlyInAnyOrder(first.seriesUid(), third.seriesUid());

		// WADO-RS: Orthanc forgets the study, then pulls it back from dicomflow
		assertThat(send(HttpRequest.newBuilder(URI.create(orthancUrl + "/studies/" + orthancStudy)).DELETE().build())
			.statusCode()).isEqualTo(200);
		HttpResponse<String> retrieve = post("/dicom-web/servers/dicomflow/retrieve",
				Map.of("Resources", List.of(Map.of("Study", first.studyUid())), "Synchronous", true));
		assertThat(retrieve.statusCode()).as("retrieve through Orthanc: %s; log: %s", retrieve.body(), Interop.tail(log))
			.isEqualTo(200);
		JsonNode instances = Pipeline.JSON.readTree(
				send(HttpRequest.newBuilder(URI.create(orthancUrl + "/studies/" + orthancStudy + "/instances")).GET().build())
					.body());
		assertThat(instances).hasSize(3);
		String firstInOrthanc = instances.valueStream()
			.filter((i) -> i.path("MainDicomTags").path("SOPInstanceUID").asString().equals(first.sopInstanceUid()))
			.findFirst()
			.orElseThrow()
			.path("ID")
			.asString();
		byte[] file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(orthancUrl + "/instances/" + firstInOrthanc + "/file"))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofByteArray()).body();
		assertThat(file).isEqualTo(first.bytes());
	}

	/** A value in either form: the DICOM JSON model's array, or Orthanc's single value. */
	@Test
	void orthancSendsAStudyWithCStoreAsOneUpload() throws Exception {
		Instance first = Dicomweb.fresh("pydicom-MR_small.dcm");
		List<Instance> study = List.of(first, first.sibling(), first.inNewSeries());
		String orthancStudy = null;
		for (Instance instance : study) {
			HttpResponse<String> stored = send(HttpRequest.newBuilder(URI.create(orthancUrl + "/instances"))
				.header("Content-Type", "application/dicom")
				.POST(HttpRequest.BodyPublishers.ofByteArray(instance.bytes()))
				.build());
			assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
			orthancStudy = Pipeline.JSON.readTree(stored.body()).path("ParentStudy").asString();
		}
		HttpResponse<String> echo = post("/modalities/dicomflow/echo", Map.of());
		assertThat(echo.statusCode()).as("C-ECHO from Orthanc: %s; log: %s", echo.body(), Interop.tail(log)).isEqualTo(200);
		HttpResponse<String> store = post("/modalities/dicomflow/store",
				Map.of("Resources", List.of(orthancStudy), "Synchronous", true));
		assertThat(store.statusCode()).as("C-STORE from Orthanc: %s; log: %s", store.body(), Interop.tail(log))
			.isEqualTo(200);
		JsonNode report = Pipeline.JSON.readTree(store.body());
		assertThat(report.path("InstancesCount").asInt()).isEqualTo(3);
		assertThat(report.path("FailedInstancesCount").asInt()).isZero();

		Pipeline pipeline = Pipeline.get();
		JsonNode upload = await().atMost(Duration.ofSeconds(90))
			.until(() -> pipeline.uploadHolding(Interop.USER, first.sopInstanceUid()), (u) -> u != null
					&& u.path("files").size() == 3
					&& u.path("files").valueStream().allMatch((f) -> !f.path("result").path("id").asString().isEmpty()));
		assertThat(upload.path("files").valueStream().map((f) -> f.path("sopInstanceUid").asString()).toList())
			.as("one association, one upload")
			.containsExactlyInAnyOrderElementsOf(study.stream().map(Instance::sopInstanceUid).toList());
	}

	private static String value(JsonNode result, String tag) {
		JsonNode value = result.path(tag).path("Value");
		return value.isArray() ? value.get(0).asString() : value.asString();
	}

	private static HttpResponse<String> post(String path, Object body) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(orthancUrl + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Pipeline.JSON.writeValueAsString(body)))
			.build());
	}

	private static HttpResponse<String> send(HttpRequest request) throws java.io.IOException, InterruptedException {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			// a pooled connection the server closed meanwhile fails before any byte is answered: once more on a
			// new connection (every request here is idempotent)
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

}
