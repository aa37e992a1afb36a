package io.dicomflow.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * The executable jar as a user runs it: {@code java -jar dicomflow-standalone.jar} in a JVM of its own, with a fresh
 * data directory and nothing from the test's class path. Everything embedded (PostgreSQL binaries, the Qpid broker's
 * configuration, S3Proxy, GreenMail, Flyway migrations, the portal's static files, the authorization server) is then
 * loaded from nested jars, where class-path URLs behave differently from the exploded class path the other
 * end-to-end tests run on. Failsafe runs after {@code package}, so the jar of this build is there.
 */
class PackagedJarIT {

	private static final Path JAR = Path
		.of(System.getProperty("dicomflow.standalone.jar", "target/dicomflow-standalone.jar"))
		.toAbsolutePath();

	private static final Path LOG = Path.of("target", "packaged-jar-it.log").toAbsolutePath();

	private static final String FILE = "pydicom-MR_small.dcm";

	@Test
	void startsFromTheJarAnalysesAnUploadAndStopsCleanly(@TempDir Path dataDir) throws Exception {
		assertThat(JAR).as("the executable jar (built by `package` before failsafe runs)").isRegularFile();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString()).directory(dataDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(LOG.toFile());
		builder.environment().put("DICOMFLOW_DATA_DIR", dataDir.resolve("data").toString());
		builder.environment().remove("DICOMFLOW_PORT");
		Process process = builder.start();
		boolean exited = false;
		try {
			// the launcher writes dicomflow.env, then logs the banner; a minute on an idle machine, far more on a
			// loaded CI box (first start unpacks PostgreSQL and runs initdb and every migration)
			await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
				.until(() -> !process.isAlive() || log().contains("dicomflow is running"));
			assertThat(process.isAlive()).as("the jar exited at start; its output:\n%s", tail()).isTrue();
			Map<String, String> env = shellSettings(dataDir.resolve("data").resolve("dicomflow.env"));
			RestClient http = Pipeline.client(env.get("DICOMFLOW_URL"));

			String token = token(env.get("DICOMFLOW_TOKEN_URL"), "alice", "alice-demo");
			JsonNode receipt = upload(http, token);
			assertThat(receipt.path("files").path(0).path("outcome").asString()).as("%s", receipt)
				.isEqualTo("ACCEPTED");
			String uploadId = receipt.path("uploadId").asString();
			JsonNode file = await().atMost(Duration.ofMinutes(3))
				.until(() -> get(http, token, "/api/uploads/" + uploadId).path("files").path(0),
						(f) -> f.path("transitions").has("DONE"));
			// the analysis ran inside the jar: same figures as the pydicom reference
			JsonNode stored = Pipeline.reference(FILE).path("pixel").path("stored");
			double mean = stored.path("mean").asDouble();
			assertThat(file.path("result").path("dataSize").asLong()).isEqualTo(stored.path("count").asLong());
			assertThat(file.path("result").path("averageBeforeNormalization").asDouble())
				.isCloseTo(mean, within(Math.abs(mean) * 1e-9));

			// the portal page and its script come out of the jar's static resources
			assertThat(http.get().uri("/").retrieve().body(String.class)).contains("<title>dicomflow</title>");
			assertThat(http.get().uri("/portal.js").retrieve().toEntity(String.class).getStatusCode().value())
				.isEqualTo(200);
		}
		finally {
			// SIGTERM, as a service manager stops it: the shutdown hook stops the services, then the servers
			process.destroy();
			exited = process.waitFor(2, TimeUnit.MINUTES);
			if (!exited) {
				process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
		assertThat(exited).as("the jar stopped within 2 minutes of SIGTERM; its output:\n%s", tail()).isTrue();
		// PostgreSQL removes its lock file only on an orderly shutdown; a JVM that died under it leaves it behind
		assertThat(dataDir.resolve("data").resolve("postgres").resolve("postmaster.pid")).doesNotExist();
		String shutdown = log().substring(log().indexOf("dicomflow is running"));
		assertThat(shutdown.lines().filter((line) -> line.contains(" ERROR ")).toList())
			.as("errors logged while running and stopping (see %s)", LOG)
			.isEmpty();
	}

	private static String token(String tokenUrl, String client, String secret) {
		LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		JsonNode body = Pipeline.client(tokenUrl).post()
			.headers((h) -> h.setBasicAuth(client, secret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(form)
			.retrieve()
			.body(JsonNode.class);
		assertThat(body.path("access_token").asString()).as("token response %s", body).isNotBlank();
		return body.path("access_token").asString();
	}

	private static JsonNode upload(RestClient http, String token) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("files", new ByteArrayResource(Pipeline.corpus(FILE)) {
			@Override
			public String getFilename() {
				return FILE;
			}
		}).contentType(MediaType.parseMediaType("application/dicom"));
		return http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body.build())
			.retrieve()
			.body(JsonNode.class);
	}

	private static JsonNode get(RestClient http, String token, String path) {
		return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().body(JsonNode.class);
	}

	/** {@code export NAME=value} lines, as the README has users {@code source} them. */
	private static Map<String, String> shellSettings(Path file) throws IOException {
		Map<String, String> settings = new HashMap<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			if (line.startsWith("export ")) {
				String[] pair = line.substring("export ".length()).split("=", 2);
				settings.put(pair[0], pair[1]);
			}
		}
		assertThat(settings).containsKeys("DICOMFLOW_URL", "DICOMFLOW_TOKEN_URL");
		return settings;
	}

	private static String log() throws IOException {
		return Files.exists(LOG) ? Files.readString(LOG, StandardCharsets.UTF_8) : "";
	}

	private static String tail() throws IOException {
		List<String> lines = log().lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

}
