package io.dicomflow.standalone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An admin re-analysis after the analysis rules changed: a worker with analyser version 2 replaces the
 * version-1 workers, an admin asks for a result to be analysed again, and the Results API shows version 2 as
 * the element's newest while keeping version 1.
 */
class ReanalysisIT {

	private static Infrastructure infrastructure;

	private static DicomflowServices services;

	private static ConfigurableApplicationContext upgradedWorker;

	private static Map<String, Object> properties;

	@BeforeAll
	static void start() {
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		properties = new LinkedHashMap<>(Pipeline.serviceProperties(infrastructure));
		services = DicomflowServices.start(properties, 0);
	}

	@AfterAll
	static void stop() {
		if (upgradedWorker != null) {
			upgradedWorker.close();
		}
		if (services != null) {
			services.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@Test
	void anAdminReanalysisWithNewRulesAddsAVersionAndKeepsTheOld() {
		RestClient upload = client(services.uploadUrl());
		String file = "pydicom-dicomdirtests-98892001_CT5N_2062.dcm";
		JsonNode receipt = upload.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("alice"))
			.contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA)
			.body(multipart(file))
			.exchange((request, response) -> Pipeline.JSON.readTree(response.getBody().readAllBytes()));
		String uploadPath = "/api/uploads/" + receipt.path("uploadId").asString();
		String resultId = await().atMost(Duration.ofSeconds(60))
			.until(() -> json(upload, "alice", uploadPath).path("files").path(0).path("result").path("id").asString(),
					(id) -> !id.isEmpty());

		// the rules change: version-2 workers take over from the version-1 ones
		services.worker().getBean(RabbitListenerEndpointRegistry.class).stop();
		Map<String, Object> upgraded = new LinkedHashMap<>(properties);
		upgraded.put("dicomflow.worker.analyzer-version", "2");
		upgradedWorker = DicomflowServices.startAnalysisWorker(upgraded);
		RestClient worker = client("http://127.0.0.1:" + upgradedWorker.getEnvironment().getProperty("local.server.port"));

		String path = "/api/admin/analysis/results/" + resultId + "/reanalysis";
		assertThat(status(worker, "POST", path, "alice")).as("admins only").isEqualTo(403);
		assertThat(status(worker, "POST", "/api/admin/analysis/results/no-such-result/reanalysis", "admin"))
			.isEqualTo(404);
		assertThat(status(worker, "POST", path, "admin")).isEqualTo(202);

		JsonNode versions = await().atMost(Duration.ofSeconds(60))
			.until(() -> json(upload, "alice", "/api/elements/" + resultId + "/versions/"),
					(body) -> body.toString().contains("\"analyzer_version\":\"2\""));
		JsonNode newest = json(upload, "alice", "/api/elements/" + resultId + "/");
		assertThat(newest.path("version").asInt()).isEqualTo(2);
		assertThat(newest.path("analyzer_version").asString()).isEqualTo("2");
		assertThat(newest.path("latest").asBoolean()).isTrue();
		assertThat(versions.toString()).contains("\"analyzer_version\":\"1\"");
		JsonNode stored = Pipeline.reference(file).path("pixel").path("stored");
		assertThat(newest.path("data_size").asLong()).isEqualTo(stored.path("count").asLong());
	}

	private static org.springframework.util.MultiValueMap<String, org.springframework.http.HttpEntity<?>> multipart(
			String name) {
		org.springframework.http.client.MultipartBodyBuilder body = new org.springframework.http.client.MultipartBodyBuilder();
		body.part("files", new org.springframework.core.io.ByteArrayResource(Pipeline.corpus(name)) {
			@Override
			public String getFilename() {
				return name;
			}
		});
		return body.build();
	}

	private static RestClient client(String base) {
		return Pipeline.client(base);
	}

	private static JsonNode json(RestClient client, String user, String path) {
		return client.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> Pipeline.JSON.readTree(response.getBody().readAllBytes()));
	}

	private static int status(RestClient client, String method, String path, String user) {
		return client.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((request, response) -> response.getStatusCode().value());
	}

}
