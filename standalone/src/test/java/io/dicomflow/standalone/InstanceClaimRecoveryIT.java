package io.dicomflow.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.common.storage.StorageProperties;
import io.dicomflow.upload.testing.Part10Writer;
import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.upload.IngestProbe;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What becomes of a claim when its upload does not finish (docs/decisions/0011): a failed write or a failed
 * record gives the key up at once, a claim left behind by a process that died is taken over once it is stale,
 * and a claim still being worked on is waited for and never taken.
 */
class InstanceClaimRecoveryIT {

	private final Pipeline pipeline = Pipeline.get();

	private final ConfigurableApplicationContext upload = this.pipeline.services.upload();

	private final JdbcTemplate db = this.upload.getBean(JdbcTemplate.class);

	private final S3Client s3 = this.upload.getBean(S3Client.class);

	private final String bucket = this.pipeline.infrastructure.s3Bucket();

	@Test
	void aFailedWriteReleasesTheClaimSoTheNextUploadStoresTheInstance() {
		Instance instance = Instance.fresh(1);
		// a real S3 failure: the same service, the same S3 endpoint, a bucket that does not exist
		StorageProperties real = this.upload.getBean(StorageProperties.class);
		ObjectStore failing = new ObjectStore(this.s3, new StorageProperties(real.endpoint(), real.region(),
				real.accessKey(), real.secretKey(), "no-such-bucket-" + UUID.randomUUID(), real.pathStyle(), false,
				real.serverSideEncryption(), real.kmsKeyId(), real.tenant(), real.multipartThreshold(), real.partSize()));
		IngestProbe probe = new IngestProbe(this.upload, failing, Duration.ofMinutes(15), Duration.ofSeconds(5));

		FileOutcome outcome = probe.ingest("alice", UUID.randomUUID(), "a.dcm", instance.bytes, true);

		assertThat(outcome.outcome()).isEqualTo(FileOutcome.Outcome.REJECTED);
		assertThat(outcome.rejection().code().name()).isEqualTo("STORE_FAILED");
		assertThat(claims(instance.key("alice"))).as("released").isZero();
		assertThat(files(instance.sop)).isZero();

		JsonNode retry = this.pipeline.upload("alice", Map.of("a.dcm", instance.bytes)).body().path("files").get(0);
		assertThat(retry.path("outcome").asString()).isEqualTo("ACCEPTED");
		assertThat(claimState(instance.key("alice"))).isEqualTo("STORED");
	}

	@Test
	void aFailedRecordDeletesTheObjectAndReleasesTheClaim() {
		Instance instance = Instance.fresh(2);
		IngestProbe probe = new IngestProbe(this.upload, this.upload.getBean(ObjectStore.class), Duration.ofMinutes(15),
				Duration.ofSeconds(5));

		// the object is written, then the record fails for real: its upload does not exist (foreign key)
		FileOutcome outcome = probe.ingest("alice", UUID.randomUUID(), "a.dcm", instance.bytes, false);

		assertThat(outcome.outcome()).isEqualTo(FileOutcome.Outcome.REJECTED);
		assertThat(outcome.rejection().code().name()).isEqualTo("STORE_FAILED");
		assertThat(claims(instance.key("alice"))).as("released").isZero();
		assertThat(files(instance.sop)).isZero();
		assertThatExceptionOfType(NoSuchKeyException.class)
			.isThrownBy(() -> this.s3.headObject((r) -> r.bucket(this.bucket).key(instance.key("alice"))));

		JsonNode retry = this.pipeline.upload("alice", Map.of("a.dcm", instance.bytes)).body().path("files").get(0);
		assertThat(retry.path("outcome").asString()).isEqualTo("ACCEPTED");
	}

	@Test
	void aStaleClaimIsTakenOverButAFreshOneIsNot() {
		Instance stale = Instance.fresh(3);
		UUID dead = UUID.randomUUID();
		this.db.update("insert into instance_claim (object_key, owner, sha256, state, claim_id, claimed_at) "
				+ "values (?, 'alice', ?, 'CLAIMED', ?, now() - interval '2 hours')", stale.key("alice"), "0".repeat(64),
				dead);

		JsonNode taken = this.pipeline.upload("alice", Map.of("a.dcm", stale.bytes)).body().path("files").get(0);

		assertThat(taken.path("outcome").asString()).isEqualTo("ACCEPTED");
		Map<String, Object> claim = this.db.queryForMap(
				"select state, sha256, claim_id from instance_claim where object_key = ?", stale.key("alice"));
		assertThat(claim).containsEntry("state", "STORED").containsEntry("sha256", taken.path("sha256").asString());
		assertThat(claim.get("claim_id")).isNotEqualTo(dead);

		Instance held = Instance.fresh(4);
		UUID alive = UUID.randomUUID();
		this.db.update("insert into instance_claim (object_key, owner, sha256, state, claim_id) "
				+ "values (?, 'alice', ?, 'CLAIMED', ?)", held.key("alice"), "0".repeat(64), alive);
		IngestProbe probe = new IngestProbe(this.upload, this.upload.getBean(ObjectStore.class), Duration.ofMinutes(15),
				Duration.ofMillis(500));

		FileOutcome waited = probe.ingest("alice", UUID.randomUUID(), "b.dcm", held.bytes, true);

		// undecided: neither a CONFLICT with a store that may still fail, nor accepted over it
		assertThat(waited.outcome()).isEqualTo(FileOutcome.Outcome.REJECTED);
		assertThat(waited.rejection().code().name()).isEqualTo("STORE_FAILED");
		assertThat(waited.rejection().message()).contains("still being stored");
		assertThat(this.db.queryForObject("select claim_id from instance_claim where object_key = ?", UUID.class,
				held.key("alice"))).isEqualTo(alive);
		assertThat(files(held.sop)).isZero();
	}

	@Test
	void anUploadWaitingForAClaimThatIsReleasedStoresTheInstance() throws Exception {
		Instance instance = Instance.fresh(5);
		UUID other = UUID.randomUUID();
		this.db.update("insert into instance_claim (object_key, owner, sha256, state, claim_id) "
				+ "values (?, 'alice', ?, 'CLAIMED', ?)", instance.key("alice"), "0".repeat(64), other);

		CompletableFuture<Pipeline.Response> sent = CompletableFuture
			.supplyAsync(() -> this.pipeline.upload("alice", Map.of("a.dcm", instance.bytes)));
		Thread.sleep(1000);
		// the other upload fails and gives the key up while this one waits
		this.db.update("delete from instance_claim where object_key = ? and claim_id = ?", instance.key("alice"), other);

		JsonNode outcome = sent.get(60, TimeUnit.SECONDS).body().path("files").get(0);
		assertThat(outcome.path("outcome").asString()).isEqualTo("ACCEPTED");
		assertThat(claimState(instance.key("alice"))).isEqualTo("STORED");
	}

	private long claims(String key) {
		return this.db.queryForObject("select count(*) from instance_claim where object_key = ?", Long.class, key);
	}

	private String claimState(String key) {
		List<String> states = this.db.queryForList("select state from instance_claim where object_key = ?",
				String.class, key);
		return states.isEmpty() ? null : states.get(0);
	}

	private long files(String sop) {
		return this.db.queryForObject("select count(*) from upload_file where sop_instance_uid = ?", Long.class, sop);
	}

	private record Instance(String study, String series, String sop, byte[] bytes) {

		static Instance fresh(int seed) {
			String study = Part10Writer.uid();
			String series = Part10Writer.uid();
			String sop = Part10Writer.uid();
			return new Instance(study, series, sop, Part10Writer
				.image(Part10Writer.CT_IMAGE_STORAGE, sop, study, series, Part10Writer.pixels(seed))
				.toBytes());
		}

		String key(String owner) {
			return ObjectKeys.instanceKey("default", owner, this.study, this.series, this.sop);
		}

	}

}
