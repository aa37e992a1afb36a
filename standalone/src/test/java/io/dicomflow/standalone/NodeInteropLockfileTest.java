package io.dicomflow.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Node project DicomwebClientInteropIT installs from the npm registry is pinned: every dependency of its
 * package.json is in the committed lockfile at that exact version with an integrity hash, and the install
 * command is {@code npm ci} without install scripts (a plain {@code npm install} would resolve afresh and run
 * whatever scripts the packages declare).
 */
class NodeInteropLockfileTest {

	private static final Path PROJECT = Path.of("src", "test", "interop", "dicomweb-client");

	@Test
	void everyDependencyIsLockedWithAnIntegrityHashAndInstalledWithoutScripts() throws Exception {
		JsonNode manifest = Pipeline.JSON.readTree(Files.readString(PROJECT.resolve("package.json")));
		Path lockfile = PROJECT.resolve("package-lock.json");
		assertThat(lockfile).exists();
		JsonNode lock = Pipeline.JSON.readTree(Files.readString(lockfile));
		List<String> unpinned = new ArrayList<>();
		for (Map.Entry<String, JsonNode> dependency : manifest.path("dependencies").properties()) {
			JsonNode locked = lock.path("packages").path("node_modules/" + dependency.getKey());
			if (!locked.path("version").asString("").equals(dependency.getValue().asString())
					|| !locked.path("integrity").asString("").startsWith("sha512-")) {
				unpinned.add(dependency.getKey());
			}
		}
		assertThat(manifest.path("dependencies").size()).isPositive();
		assertThat(unpinned).as("dependencies not pinned by the lockfile").isEmpty();
		assertThat(DicomwebClientInteropIT.NPM_INSTALL).startsWith("npm", "ci").contains("--ignore-scripts");
	}

}
