package io.dicomflow.standalone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator of each service (upload, worker, notification) is served on its own management port only: the
 * API port (the one the ingress routes) has no {@code /actuator/prometheus} or {@code /actuator/metrics} for
 * anyone; on the management port the health probes and the Prometheus scrape are open, {@code /actuator/metrics}
 * answers 401 without a token and 403 to a user, and only an admin reads it.
 */
class ManagementEndpointsIT {

	private static final String NO_TOKEN = null;

	@Test
	void theActuatorIsOnTheManagementPortOnlyAndMetricsAreForAdmins() {
		Pipeline pipeline = Pipeline.get();
		Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
		services.put("upload-service", pipeline.services.upload());
		services.put("analysis-worker", pipeline.services.worker());
		services.put("notification-service", pipeline.services.notification());
		Map<String, String> apiUrls = Map.of("upload-service", pipeline.services.uploadUrl(), "analysis-worker",
				pipeline.services.workerUrl(), "notification-service",
				pipeline.services.notificationWebSocketUrl().replace("ws://", "http://").replace("/ws", ""));

		List<String> wrong = new ArrayList<>();
		services.forEach((name, context) -> {
			String api = apiUrls.get(name);
			String management = DicomflowServices.managementUrl(context);
			assertThat(management).isNotEqualTo(api);
			for (String caller : new String[] { NO_TOKEN, "alice", "admin" }) {
				for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/health")) {
					Answer answer = get(api, path, caller);
					if (answer.status() == 200 || answer.body().contains("jvm_memory")) {
						wrong.add(name + " API port " + path + " as " + caller + ": " + answer.status());
					}
				}
			}
			Answer scrape = get(management, "/actuator/prometheus", NO_TOKEN);
			expect(wrong, name + " scrape", scrape.status(), 200);
			if (!scrape.body().contains("application=\"" + name + "\"")) {
				wrong.add(name + " scrape has no series of application=" + name);
			}
			expect(wrong, name + " liveness", get(management, "/actuator/health/liveness", NO_TOKEN).status(), 200);
			expect(wrong, name + " metrics without token", get(management, "/actuator/metrics", NO_TOKEN).status(),
					401);
			expect(wrong, name + " metrics as user", get(management, "/actuator/metrics", "alice").status(), 403);
			expect(wrong, name + " metrics as uploader", get(management, "/actuator/metrics", "modality").status(),
					403);
			Answer asAdmin = get(management, "/actuator/metrics", "admin");
			expect(wrong, name + " metrics as admin", asAdmin.status(), 200);
			if (!asAdmin.body().contains("\"names\"")) {
				wrong.add(name + " metrics as admin lists no names");
			}
		});
		assertThat(wrong).isEmpty();
	}

	private static void expect(List<String> wrong, String what, int status, int expected) {
		if (status != expected) {
			wrong.add(what + ": " + status + " (expected " + expected + ")");
		}
	}

	private record Answer(int status, String body) {
	}

	private static Answer get(String base, String path, String caller) {
		RestClient client = Pipeline.client(base);
		var request = client.get().uri(path);
		if (caller != null) {
			request.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(caller));
		}
		return request.exchange((req, response) -> new Answer(response.getStatusCode().value(),
				new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
	}

}
