package io.dicomflow.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.dicomflow.upload.tus.TusExpiry;
import io.dicomflow.upload.upload.UploadProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of tus uploads: an Upload-Length above the service's file limit is 413 problem+json (not accepted up
 * to 100 GB as before); one user holds at most 20 incomplete uploads (the 21st is 429), also when the creations
 * arrive at the same time, and at most 20 GB declared by them together; incomplete uploads expire, their rows
 * and spool files deleted, which frees the user's place.
 */
class TusLimitsIT {

	private static final int MAX_INCOMPLETE = 20;

	private final Pipeline pipeline = Pipeline.get();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void anUploadLengthAboveTheFileLimitIsRefusedAsProblemJson() throws Exception {
		long maxFile = this.pipeline.services.upload().getBean(UploadProperties.class).maxFileSize().toBytes();
		String alice = Pipeline.authorization("alice");
		HttpResponse<String> tooLong = create(alice, maxFile + 1);
		assertThat(tooLong.statusCode()).isEqualTo(413);
		assertThat(tooLong.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		JsonNode problem = Pipeline.JSON.readTree(tooLong.body());
		assertThat(problem.path("status").asInt()).isEqualTo(413);
		assertThat(problem.path("type").asString()).isEqualTo("https://dicomflow.io/problems/too-large");
		HttpResponse<String> options = this.http.send(HttpRequest.newBuilder(uri("/api/uploads/tus"))
			.header("Authorization", alice)
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(options.headers().firstValue("Tus-Max-Size")).hasValue(Long.toString(maxFile));

		HttpResponse<String> atTheLimit = create(alice, maxFile);
		assertThat(atTheLimit.statusCode()).isEqualTo(201);
		assertThat(atTheLimit.headers().firstValue("Upload-Expires")).isPresent();
		delete(alice, atTheLimit.headers().firstValue("Location").orElseThrow());
	}

	@Test
	void oneUserHasAtMostTwentyIncompleteUploadsEvenWhenTheyArriveTogetherAndTheyExpire() throws Exception {
		String user = "tus-" + UUID.randomUUID();
		String token = "Bearer " + TestTokens.fromIssuer(user, TestTokens.ISSUER);
		List<Callable<HttpResponse<String>>> creations = new ArrayList<>();
		for (int i = 0; i < 2 * MAX_INCOMPLETE; i++) {
			creations.add(() -> create(token, 1000));
		}
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> refused = null;
		try {
			for (Future<HttpResponse<String>> answer : pool.invokeAll(creations)) {
				statuses.add(answer.get().statusCode());
				if (answer.get().statusCode() == 429) {
					refused = answer.get();
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(statuses.stream().filter((s) -> s == 201).count()).isEqualTo(MAX_INCOMPLETE);
		assertThat(statuses.stream().filter((s) -> s == 429).count()).isEqualTo(MAX_INCOMPLETE);
		JsonNode problem = Pipeline.JSON.readTree(refused.body());
		assertThat(problem.path("type").asString())
			.isEqualTo("https://dicomflow.io/problems/too-many-incomplete-uploads");
		assertThat(problem.path("status").asInt()).isEqualTo(429);
		// another user is not affected
		HttpResponse<String> alices = create(Pipeline.authorization("alice"), 1000);
		assertThat(alices.statusCode()).isEqualTo(201);
		delete(Pipeline.authorization("alice"), alices.headers().firstValue("Location").orElseThrow());

		// expiry: the user's uploads, made older than expire-after, go with their spool files
		JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);
		List<String> spools = db.queryForList("select spool_path from tus_upload where owner = ?", String.class, user);
		assertThat(spools).hasSize(MAX_INCOMPLETE).allMatch((p) -> Files.exists(Path.of(p)));
		db.update("update tus_upload set created_at = now() - interval '25 hours' where owner = ?", user);
		assertThat(this.pipeline.services.upload().getBean(TusExpiry.class).expire()).isGreaterThanOrEqualTo(MAX_INCOMPLETE);
		assertThat(db.queryForObject("select count(*) from tus_upload where owner = ?", Long.class, user)).isZero();
		assertThat(spools).noneMatch((p) -> Files.exists(Path.of(p)));
		HttpResponse<String> again = create(token, 1000);
		assertThat(again.statusCode()).isEqualTo(201);
		delete(token, again.headers().firstValue("Location").orElseThrow());
	}

	@Test
	void theIncompleteUploadsOfOneUserDeclareAtMostTwentyGigabytesTogether() throws Exception {
		String user = "tus-" + UUID.randomUUID();
		String token = "Bearer " + TestTokens.fromIssuer(user, TestTokens.ISSUER);
		long maxFile = this.pipeline.services.upload().getBean(UploadProperties.class).maxFileSize().toBytes();
		long declared = 0;
		List<String> locations = new ArrayList<>();
		HttpResponse<String> answer;
		while ((answer = create(token, maxFile)).statusCode() == 201) {
			declared += maxFile;
			locations.add(answer.headers().firstValue("Location").orElseThrow());
			assertThat(locations).hasSizeLessThan(MAX_INCOMPLETE);
		}
		assertThat(answer.statusCode()).isEqualTo(413);
		assertThat(Pipeline.JSON.readTree(answer.body()).path("type").asString())
			.isEqualTo("https://dicomflow.io/problems/too-large");
		assertThat(declared).isLessThanOrEqualTo(20L << 30).isGreaterThan((20L << 30) - maxFile);
		for (String location : locations) {
			delete(token, location);
		}
		assertThat(create(token, maxFile).statusCode()).isEqualTo(201);
	}

	private HttpResponse<String> create(String authorization, long length) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/api/uploads/tus"))
			.header("Authorization", authorization)
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", Long.toString(length))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void delete(String authorization, String location) throws Exception {
		HttpResponse<String> deleted = this.http.send(HttpRequest.newBuilder(uri(location))
			.header("Authorization", authorization)
			.header("Tus-Resumable", "1.0.0")
			.DELETE()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(deleted.statusCode()).isEqualTo(204);
	}

	private URI uri(String path) {
		return URI.create(this.pipeline.services.uploadUrl() + path);
	}

}
