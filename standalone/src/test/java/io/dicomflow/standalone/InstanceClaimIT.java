package io.dicomflow.standalone;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two uploads of one instance at the same moment (issues 11 and 12, docs/decisions/0011): the claim of the
 * object key decides, on every route, so that exactly one is stored and the other is told why; and owners never
 * share an object, so another owner's upload neither collides nor learns anything. Each pair's two requests are
 * released together by a barrier, many times over and in both orders, against the real HTTP routes.
 */
class InstanceClaimIT {

	private static final int PAIRS = 24;

	private final Pipeline pipeline = Pipeline.get();

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	private final S3Client s3 = this.pipeline.services.upload().getBean(S3Client.class);

	private final String bucket = this.pipeline.infrastructure.s3Bucket();

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void twoVersionsOfOneInstanceSentTogetherByOneOwnerGiveOneAcceptedAndOneConflict() throws Exception {
		List<JsonNode> accepted = new ArrayList<>();
		for (int pair = 0; pair < PAIRS; pair++) {
			Ids ids = Ids.fresh();
			byte[] first = image(ids, 2 * pair);
			byte[] second = image(ids, 2 * pair + 1);
			// both orders: which version is handed to the thread that happens to start first varies too
			boolean swap = pair % 2 == 1;
			List<JsonNode> outcomes = outcomes(together(() -> upload("alice", swap ? second : first),
					() -> upload("alice", swap ? first : second)));

			assertThat(outcomes).as("pair %d", pair)
				.extracting((o) -> o.path("outcome").asString())
				.containsExactlyInAnyOrder("ACCEPTED", "CONFLICT");
			JsonNode winner = only(outcomes, "ACCEPTED");
			JsonNode loser = only(outcomes, "CONFLICT");
			assertThat(loser.path("rejection").path("code").asString()).isEqualTo("CONFLICT");
			assertThat(loser.path("differences").valueStream().map(JsonNode::asString)).containsExactly("PixelData");
			assertThat(winner.path("sha256").asString()).isIn(sha256(first), sha256(second))
				.isNotEqualTo(loser.path("sha256").asString());
			// the object is the accepted file's, byte for byte: the losing write never replaced it
			String key = ObjectKeys.instanceKey("default", "alice", ids.study, ids.series, ids.sop);
			assertThat(storedSha256(key)).as("pair %d", pair).isEqualTo(winner.path("sha256").asString());
			assertThat(count("select count(*) from upload_file where sop_instance_uid = ?", ids.sop)).isEqualTo(1);
			assertThat(this.db.queryForObject("select state from instance_claim where object_key = ?", String.class, key))
				.isEqualTo("STORED");
			accepted.add(winner);
		}
		assertAnalysed("alice", accepted);
	}

	@Test
	void theSameBytesSentTogetherByOneOwnerGiveOneAcceptedAndOneDuplicateOfIt() throws Exception {
		for (int pair = 0; pair < PAIRS; pair++) {
			Ids ids = Ids.fresh();
			byte[] bytes = image(ids, pair);
			List<JsonNode> outcomes = outcomes(together(() -> upload("bob", bytes), () -> upload("bob", bytes)));

			assertThat(outcomes).as("pair %d", pair)
				.extracting((o) -> o.path("outcome").asString())
				.containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE");
			assertThat(only(outcomes, "DUPLICATE").path("fileId").asString())
				.isEqualTo(only(outcomes, "ACCEPTED").path("fileId").asString());
			assertThat(count("select count(*) from upload_file where sop_instance_uid = ?", ids.sop)).isEqualTo(1);
		}
	}

	@Test
	void twoOwnersSendingTheSameUidsTogetherAreBothAcceptedIntoSeparateObjects() throws Exception {
		List<JsonNode> alices = new ArrayList<>();
		List<JsonNode> bobs = new ArrayList<>();
		for (int pair = 0; pair < PAIRS / 2; pair++) {
			Ids ids = Ids.fresh();
			byte[] alice = image(ids, 2 * pair);
			// every other pair: the very same bytes, which owners once shared as one object
			byte[] bob = (pair % 2 == 0) ? image(ids, 2 * pair + 1) : alice;
			List<Pipeline.Response> responses = together(() -> upload("alice", alice), () -> upload("bob", bob));
			List<JsonNode> outcomes = outcomes(responses);

			assertThat(outcomes).as("pair %d", pair)
				.extracting((o) -> o.path("outcome").asString())
				.containsExactly("ACCEPTED", "ACCEPTED");
			assertThat(outcomes).allSatisfy((o) -> assertThat(o.has("differences")).isFalse());
			String aliceKey = ObjectKeys.instanceKey("default", "alice", ids.study, ids.series, ids.sop);
			String bobKey = ObjectKeys.instanceKey("default", "bob", ids.study, ids.series, ids.sop);
			assertThat(aliceKey).isNotEqualTo(bobKey);
			assertThat(storedSha256(aliceKey)).isEqualTo(sha256(alice));
			assertThat(storedSha256(bobKey)).isEqualTo(sha256(bob));
			assertThat(this.db.queryForList("select object_key from upload_file where sop_instance_uid = ? order by owner",
					String.class, ids.sop))
				.containsExactly(aliceKey, bobKey);
			alices.add(outcomes.get(0));
			bobs.add(outcomes.get(1));
		}
		assertAnalysed("alice", alices);
		assertAnalysed("bob", bobs);
	}

	@Test
	void anotherOwnersStoredInstanceGivesNoConflictAndNoDifferences() {
		Ids ids = Ids.fresh();
		byte[] alices = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, ids.sop, ids.study, ids.series,
				Part10Writer.pixels(1)).toBytes();
		// bob's guess at alice's patient: her UIDs and pixels, another patient name and id
		byte[] guess = Part10Writer.empty()
			.mediaStorage(Part10Writer.CT_IMAGE_STORAGE, ids.sop)
			.ui(0x00080016, Part10Writer.CT_IMAGE_STORAGE)
			.ui(0x00080018, ids.sop)
			.string(0x00080060, "CS", "CT")
			.string(0x00100010, "PN", "Guess^Name")
			.string(0x00100020, "LO", "GUESS-1")
			.ui(0x0020000D, ids.study)
			.ui(0x0020000E, ids.series)
			.us(0x00280002, 1)
			.string(0x00280004, "CS", "MONOCHROME2")
			.us(0x00280010, 8)
			.us(0x00280011, 8)
			.us(0x00280100, 8)
			.us(0x00280101, 8)
			.us(0x00280102, 7)
			.us(0x00280103, 0)
			.element(0x7FE00010, "OB", Part10Writer.pixels(1))
			.toBytes();
		assertThat(upload("alice", alices).body().path("files").get(0).path("outcome").asString()).isEqualTo("ACCEPTED");

		JsonNode bob = upload("bob", guess).body().path("files").get(0);

		// once a CONFLICT naming the attributes that differ (a right guess missing from the list): now bob's own
		assertThat(bob.path("outcome").asString()).isEqualTo("ACCEPTED");
		assertThat(bob.has("differences")).isFalse();
		assertThat(bob.has("rejection")).isFalse();
		assertThat(storedSha256(ObjectKeys.instanceKey("default", "alice", ids.study, ids.series, ids.sop)))
			.isEqualTo(sha256(alices));
		assertThat(storedSha256(ObjectKeys.instanceKey("default", "bob", ids.study, ids.series, ids.sop)))
			.isEqualTo(sha256(guess));
	}

	@Test
	void twoVersionsSentTogetherOverStowRsGiveOneStoredAndOneRefusedWith0111() throws Exception {
		for (int pair = 0; pair < PAIRS / 2; pair++) {
			Dicomweb.Instance original = Dicomweb.fresh("pydicom-MR_small.dcm");
			byte[] changed = original.bytes().clone();
			changed[changed.length - 1] ^= 0x01;
			boolean swap = pair % 2 == 1;
			List<Dicomweb.Response> responses = together(
					() -> Dicomweb.stow("alice", "/dicomweb/studies",
							List.of(Dicomweb.Part.dicom(swap ? changed : original.bytes()))),
					() -> Dicomweb.stow("alice", "/dicomweb/studies",
							List.of(Dicomweb.Part.dicom(swap ? original.bytes() : changed))));

			assertThat(responses).as("pair %d", pair)
				.extracting(Dicomweb.Response::status)
				.containsExactlyInAnyOrder(200, 409);
			Dicomweb.Response refused = responses.stream().filter((r) -> r.status() == 409).findFirst().orElseThrow();
			JsonNode failed = refused.json().path("00081198").path("Value");
			assertThat(failed.get(0).path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0111);
			byte[] sentFirst = swap ? changed : original.bytes();
			byte[] sentSecond = swap ? original.bytes() : changed;
			byte[] storedBytes = (responses.get(0).status() == 200) ? sentFirst : sentSecond;
			String key = ObjectKeys.instanceKey("default", "alice", original.studyUid(), original.seriesUid(),
					original.sopInstanceUid());
			assertThat(storedSha256(key)).as("pair %d", pair).isEqualTo(sha256(storedBytes));
			assertThat(count("select count(*) from upload_file where sop_instance_uid = ?", original.sopInstanceUid()))
				.isEqualTo(1);
		}
	}

	@Test
	void twoVersionsSentTogetherIntoTwoSessionsGiveOneAcceptedAndOneConflict() throws Exception {
		List<JsonNode> accepted = new ArrayList<>();
		for (int pair = 0; pair < PAIRS / 2; pair++) {
			Ids ids = Ids.fresh();
			byte[] first = image(ids, 2 * pair);
			byte[] second = image(ids, 2 * pair + 1);
			String one = openSession();
			String other = openSession();

			List<JsonNode> outcomes = outcomes(together(
					() -> this.pipeline.uploadTo("alice", "/api/uploads/sessions/" + one + "/files",
							Map.of("first.dcm", first)),
					() -> this.pipeline.uploadTo("alice", "/api/uploads/sessions/" + other + "/files",
							Map.of("second.dcm", second))));

			assertThat(outcomes).as("pair %d", pair)
				.extracting((o) -> o.path("outcome").asString())
				.containsExactlyInAnyOrder("ACCEPTED", "CONFLICT");
			JsonNode winner = only(outcomes, "ACCEPTED");
			String key = ObjectKeys.instanceKey("default", "alice", ids.study, ids.series, ids.sop);
			assertThat(storedSha256(key)).isEqualTo(winner.path("sha256").asString());
			String session = winner.path("name").asString().equals("first.dcm") ? one : other;
			assertThat(this.pipeline.post("alice", "/api/uploads/sessions/" + session + "/commit", null).status())
				.isEqualTo(200);
			accepted.add(winner);
		}
		assertAnalysed("alice", accepted);
	}

	private String openSession() {
		Pipeline.Response opened = this.pipeline.post("alice", "/api/uploads/sessions", Map.of("files", 1));
		assertThat(opened.status()).isEqualTo(201);
		return opened.body().path("id").asString();
	}

	/** Runs both calls at the same moment (a barrier releases them together) and returns their results in order. */
	private <T> List<T> together(Callable<T> a, Callable<T> b) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Future<T> first = this.threads.submit(() -> {
			start.await(10, TimeUnit.SECONDS);
			return a.call();
		});
		Future<T> second = this.threads.submit(() -> {
			start.await(10, TimeUnit.SECONDS);
			return b.call();
		});
		return List.of(first.get(120, TimeUnit.SECONDS), second.get(120, TimeUnit.SECONDS));
	}

	private Pipeline.Response upload(String user, byte[] bytes) {
		return this.pipeline.upload(user, Map.of("instance.dcm", bytes));
	}

	/** The one file outcome of each response, with the upload it went into (when stored). */
	private static List<JsonNode> outcomes(List<Pipeline.Response> responses) {
		List<JsonNode> outcomes = new ArrayList<>();
		for (Pipeline.Response response : responses) {
			JsonNode outcome = response.body().path("files").get(0);
			assertThat(outcome).as("status %d: %s", response.status(), response.body()).isNotNull();
			tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) outcome.deepCopy();
			if (!copy.has("uploadId") && response.body().has("uploadId")) {
				copy.put("uploadId", response.body().path("uploadId").asString());
			}
			outcomes.add(copy);
		}
		return outcomes;
	}

	private static JsonNode only(List<JsonNode> outcomes, String outcome) {
		return outcomes.stream().filter((o) -> o.path("outcome").asString().equals(outcome)).findFirst().orElseThrow();
	}

	/** Every accepted file is analysed (DONE, with a result); none fails (a replaced object fails its SHA-256). */
	private void assertAnalysed(String user, List<JsonNode> accepted) {
		for (JsonNode file : accepted) {
			String uploadId = file.path("uploadId").asString();
			String fileId = file.path("fileId").asString();
			// ended: a result (DONE, and NOTIFIED after it) or FAILED among the transitions; the result is waited
			// for rather than the DONE transition, which a read can see a moment before the file row's result id
			JsonNode view = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
				JsonNode upload = this.pipeline.get(user, "/api/uploads/" + uploadId).body();
				return upload.path("files")
					.valueStream()
					.filter((f) -> fileId.equals(f.path("id").asString()))
					.findFirst()
					.orElse(Pipeline.JSON.missingNode());
			}, (f) -> !f.path("result").path("id").asString().isEmpty() || f.path("transitions").has("FAILED"));
			assertThat(view.path("transitions").has("FAILED")).as("file %s: %s", fileId, view).isFalse();
			assertThat(view.path("transitions").has("DONE")).as("file %s: %s", fileId, view).isTrue();
		}
	}

	/** The SHA-256 of the object's bytes as read back, after checking it matches the object's own metadata. */
	private String storedSha256(String key) {
		byte[] bytes = this.s3.getObjectAsBytes((r) -> r.bucket(this.bucket).key(key)).asByteArray();
		HeadObjectResponse head = this.s3.headObject((r) -> r.bucket(this.bucket).key(key));
		assertThat(head.metadata().get("sha256")).isEqualTo(sha256(bytes));
		return sha256(bytes);
	}

	private long count(String sql, Object... args) {
		return this.db.queryForObject(sql, Long.class, args);
	}

	/** A 128x128 image of these UIDs whose pixels depend on {@code seed}: large enough for a real write window. */
	private static byte[] image(Ids ids, int seed) {
		byte[] pixels = new byte[128 * 128];
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (byte) (i * 7 + seed * 31 + (i >> 7));
		}
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, ids.sop, ids.study, ids.series, 128, 128, pixels)
			.toBytes();
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Fresh Study, Series and SOP Instance UIDs. */
	record Ids(String study, String series, String sop) {

		static Ids fresh() {
			return new Ids(Part10Writer.uid(), Part10Writer.uid(), Part10Writer.uid());
		}

	}

}
