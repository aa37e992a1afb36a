package io.dicomflow.standalone;

import java.util.Map;

import io.dicomflow.upload.testing.Part10Writer;
import io.dicomflow.upload.upload.UploadProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/admin/quotas}: an admin sees each owner's stored bytes and files, counted as the quota check
 * counts them; users and uploaders are refused. The pipeline is shared with other ITs, so alice's figures are
 * compared before and after one upload of known size.
 */
class QuotaAdminIT {

	private static Pipeline pipeline;

	@BeforeAll
	static void start() {
		pipeline = Pipeline.get();
	}

	@Test
	void anAdminSeesAlicesUsageGrowByExactlyTheBytesSheUploaded() {
		JsonNode before = alice(quotas());
		byte[] image = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(),
				Part10Writer.uid(), Part10Writer.pixels(42)).toBytes();
		Pipeline.Response upload = pipeline.upload("alice", Map.of("quota.dcm", image));
		assertThat(upload.status()).isEqualTo(202);
		assertThat(upload.body().path("files").get(0).path("outcome").asString()).isEqualTo("ACCEPTED");

		JsonNode page = quotas();
		JsonNode after = alice(page);
		assertThat(after.path("bytesStored").asLong() - before.path("bytesStored").asLong()).isEqualTo(image.length);
		assertThat(after.path("filesStored").asLong() - before.path("filesStored").asLong()).isEqualTo(1);
		assertThat(after.path("bytesQuarantined").asLong()).isEqualTo(before.path("bytesQuarantined").asLong());
		long quota = pipeline.services.upload().getBean(UploadProperties.class).quotaPerUser().toBytes();
		assertThat(page.path("quotaBytes").asLong()).isEqualTo(quota);
	}

	@Test
	void usersAndUploadersAreRefusedWithAProblem() {
		for (String caller : new String[] { "alice", "modality" }) {
			Pipeline.Response response = pipeline.get(caller, "/api/admin/quotas");
			assertThat(response.status()).as(caller).isEqualTo(403);
			assertThat(response.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as(caller).isTrue();
			assertThat(response.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/forbidden");
			assertThat(response.body().has("owners")).as(caller + " sees no usage").isFalse();
		}
		Pipeline.Response tooLarge = pipeline.get("admin", "/api/admin/quotas?size=501");
		assertThat(tooLarge.status()).isEqualTo(400);
		assertThat(tooLarge.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
		assertThat(tooLarge.body().path("type").asString()).endsWith("/invalid-query");
	}

	private static JsonNode quotas() {
		Pipeline.Response response = pipeline.get("admin", "/api/admin/quotas?size=500");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/** Alice's row, or zeros when she has stored nothing yet. */
	private static JsonNode alice(JsonNode page) {
		return page.path("owners")
			.valueStream()
			.filter((o) -> "alice".equals(o.path("owner").asString()))
			.findFirst()
			.orElse(Pipeline.JSON.createObjectNode());
	}

}
