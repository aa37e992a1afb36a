package io.dicomflow.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import io.dicomflow.standalone.Dicomweb.Instance;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The npm package {@code dicomweb-client} (run by Node with src/test/interop/dicomweb-client/interop.cjs) stores a
 * study through STOW-RS, finds it with QIDO-RS and retrieves an instance and its metadata with WADO-RS. The package
 * is installed from the npm registry into target/ when it is not there yet. Skipped when Node.js or npm is not
 * installed, unless {@code -Dinterop=required}.
 */
class DicomwebClientInteropIT {

	private static final Path SOURCES = Path.of("src", "test", "interop", "dicomweb-client");

	@Test
	void dicomwebClientStoresFindsAndRetrievesThroughDicomflow() throws IOException {
		Interop.require(Interop.missing(Interop.find("node") != null, "Node.js (node on the PATH)", "nodejs"),
				Interop.missing(Interop.find("npm") != null, "npm (on the PATH)", "npm"));
		Path project = prepareProject();
		Path work = Interop.workDirectory("dicomweb-client");
		Instance first = Dicomweb.fresh("pydicom-dicomdirtests-77654033_CT2_17106.dcm");
		Instance second = first.sibling();
		List<String> files = new ArrayList<>();
		for (Instance instance : List.of(first, second)) {
			Path file = work.resolve(instance.sopInstanceUid() + ".dcm");
			Files.write(file, instance.bytes());
			files.add(file.toString());
		}

		Path log = work.resolve("node.log");
		List<String> command = List.of("env", "DICOMWEB_URL=" + Pipeline.get().services.uploadUrl() + "/dicomweb",
				"DICOMWEB_AUTHORIZATION=" + Interop.authorization(), "INPUT_FILES=" + String.join(":", files),
				"PATIENT_ID=" + first.patientId(), "OUTPUT_DIR=" + work, "node", project.resolve("interop.cjs").toString());
		Interop.run(command, work, log, 120);

		JsonNode result = Pipeline.JSON.readTree(work.resolve("result.json").toFile());
		assertThat(result.path("studies").asInt()).isEqualTo(1);
		assertThat(result.path("studyUid").asString()).isEqualTo(first.studyUid());
		assertThat(result.path("series").asInt()).isEqualTo(1);
		assertThat(result.path("seriesUid").asString()).isEqualTo(first.seriesUid());
		assertThat(result.path("instances").asInt()).isEqualTo(2);
		assertThat(result.path("sopUid").asString()).isIn(first.sopInstanceUid(), second.sopInstanceUid());
		assertThat(result.path("metadataSopUid").asString()).isEqualTo(result.path("sopUid").asString());
		assertThat(result.path("metadataPatientId").asString()).isEqualTo(first.patientId());
		assertThat(result.path("missingStudyStatus").asInt()).isEqualTo(404);
		byte[] expected = result.path("sopUid").asString().equals(first.sopInstanceUid()) ? first.bytes() : second.bytes();
		assertThat(Files.readAllBytes(work.resolve("retrieved.dcm"))).isEqualTo(expected);
		// stored as alice's, through the normal ingest
		assertThat(Dicomweb.get("bob", "/dicomweb/studies?PatientID=" + first.patientId(), null).json()).isEmpty();
	}

	/**
	 * How the Node project's packages are installed: exactly the versions and hashes of the committed
	 * package-lock.json ({@code ci} fails if package.json and the lockfile disagree) and no package's install
	 * scripts run (neither package needs one; a script would be code from the registry running in the build).
	 */
	static final List<String> NPM_INSTALL = List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");

	/** The Node project in target/, with its packages installed from the registry unless already there. */
	private static Path prepareProject() throws IOException {
		Path project = Path.of("target", "interop", "dicomweb-client-node").toAbsolutePath();
		Files.createDirectories(project);
		for (String name : List.of("package.json", "package-lock.json", "interop.cjs")) {
			Files.copy(SOURCES.resolve(name), project.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		if (!Files.isDirectory(project.resolve("node_modules").resolve("dicomweb-client"))
				|| !Files.isDirectory(project.resolve("node_modules").resolve("xhr2"))) {
			Interop.run(NPM_INSTALL, project,
					project.resolve("npm.log"), 300);
		}
		return project;
	}

}
