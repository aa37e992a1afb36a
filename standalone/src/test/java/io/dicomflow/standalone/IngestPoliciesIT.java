package io.dicomflow.standalone;

import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment policies the shared test pipeline does not use: quarantine instead of rejection for files
 * that break a content rule (kept aside, listed for admins only, never analysed), and a per-user quota.
 */
class IngestPoliciesIT {

	private static Infrastructure infrastructure;

	private static DicomflowServices services;

	private static RestClient http;

	private static byte[] first;

	@BeforeAll
	static void start() {
		first = image(1);
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		Map<String, Object> properties = new LinkedHashMap<>(Pipeline.serviceProperties(infrastructure));
		properties.put("dicomflow.upload.validation.on-failure", "quarantine");
		// room for two test images, not three
		properties.put("dicomflow.upload.quota-per-user", (2 * first.length + first.length / 2) + "B");
		services = DicomflowServices.start(properties, 0);
		http = Pipeline.client(services.uploadUrl());
	}

	@AfterAll
	static void stop() {
		if (services != null) {
			services.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@Test
	void aFileBreakingAContentRuleIsQuarantinedListedForAdminsAndNeverAnalysed() {
		byte[] noStudy = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), "",
				Part10Writer.uid(), Part10Writer.pixels(7)).toBytes();
		JsonNode receipt = upload("bob", Map.of("no-study.dcm", noStudy, "empty.dcm", new byte[0]));

		JsonNode quarantined = outcome(receipt, "no-study.dcm");
		assertThat(quarantined.path("outcome").asString()).isEqualTo("QUARANTINED");
		assertThat(quarantined.path("rejection").path("code").asString()).isEqualTo("MISSING_ATTRIBUTE");
		assertThat(outcome(receipt, "empty.dcm").path("outcome").asString()).as("not a content rule: rejected")
			.isEqualTo("REJECTED");

		String id = quarantined.path("fileId").asString();
		JsonNode listed = get("admin", "/api/admin/quarantine");
		JsonNode entry = listed.valueStream().filter((e) -> id.equals(e.path("id").asString())).findFirst().orElseThrow();
		assertThat(entry.path("owner").asString()).isEqualTo("bob");
		String key = entry.path("objectKey").asString();
		assertThat(key).contains("/quarantine/");
		S3Client s3 = services.upload().getBean(S3Client.class);
		assertThat(s3.headObject((r) -> r.bucket(infrastructure.s3Bucket()).key(key)).contentLength())
			.isEqualTo(noStudy.length);
		assertThat(status("bob", "/api/admin/quarantine")).as("not for users").isEqualTo(403);

		JdbcTemplate db = services.upload().getBean(JdbcTemplate.class);
		assertThat(db.queryForObject("select count(*) from upload_file where sha256 = ?", Long.class,
				entry.path("sha256").asString())).as("never queued for analysis").isZero();
	}

	@Test
	void uploadsPastTheQuotaAreRejected() {
		JsonNode receipt = upload("alice", Map.of("a.dcm", first, "b.dcm", image(2)));
		assertThat(receipt.path("files").valueStream().map((f) -> f.path("outcome").asString())).containsOnly("ACCEPTED");

		JsonNode third = upload("alice", Map.of("c.dcm", image(3)));
		assertThat(outcome(third, "c.dcm").path("outcome").asString()).isEqualTo("REJECTED");
		assertThat(outcome(third, "c.dcm").path("rejection").path("code").asString()).isEqualTo("QUOTA_EXCEEDED");

		JsonNode someoneElse = upload("bob", Map.of("d.dcm", image(4)));
		assertThat(outcome(someoneElse, "d.dcm").path("outcome").asString()).as("the quota is per user")
			.isEqualTo("ACCEPTED");
	}

	@Test
	void quarantinedCopiesCountAgainstTheQuota() {
		String user = "quarantine-" + java.util.UUID.randomUUID();
		String token = "Bearer " + TestTokens.fromIssuer(user, TestTokens.ISSUER);
		// files without a StudyInstanceUID (quarantined), the size of a test image: room for two, not three
		JsonNode firstTwo = upload(token, Map.of("q1.dcm", noStudy(1), "q2.dcm", noStudy(2)), true);
		assertThat(firstTwo.path("files").valueStream().map((f) -> f.path("outcome").asString()))
			.containsOnly("QUARANTINED");
		JsonNode third = upload(token, Map.of("q3.dcm", noStudy(3)), true);
		assertThat(outcome(third, "q3.dcm").path("rejection").path("code").asString()).isEqualTo("QUOTA_EXCEEDED");
		JsonNode valid = upload(token, Map.of("v.dcm", image(5)), true);
		assertThat(outcome(valid, "v.dcm").path("rejection").path("code").asString())
			.as("quarantined bytes leave no room for a valid file either")
			.isEqualTo("QUOTA_EXCEEDED");
		JdbcTemplate db = services.upload().getBean(JdbcTemplate.class);
		assertThat(db.queryForObject("select count(*) from quarantined_file where owner = ?", Long.class, user))
			.isEqualTo(2);
	}

	private static byte[] noStudy(int seed) {
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), "", Part10Writer.uid(),
				Part10Writer.pixels(seed)).toBytes();
	}

	private static byte[] image(int seed) {
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(),
				Part10Writer.uid(), Part10Writer.pixels(seed)).toBytes();
	}

	private static JsonNode outcome(JsonNode receipt, String name) {
		return receipt.path("files")
			.valueStream()
			.filter((f) -> name.equals(f.path("name").asString()))
			.findFirst()
			.orElseThrow();
	}

	private static JsonNode upload(String user, Map<String, byte[]> files) {
		return upload(Pipeline.authorization(user), files, true);
	}

	private static JsonNode upload(String authorization, Map<String, byte[]> files, boolean raw) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		files.forEach((name, bytes) -> body.part("files", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return name;
			}
		}).contentType(MediaType.parseMediaType("application/dicom")));
		return http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, authorization)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body.build())
			.exchange((request, response) -> Pipeline.JSON.readTree(response.getBody().readAllBytes()));
	}

	private static JsonNode get(String user, String path) {
		return http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> Pipeline.JSON.readTree(response.getBody().readAllBytes()));
	}

	private static int status(String user, String path) {
		return http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> response.getStatusCode().value());
	}

}
