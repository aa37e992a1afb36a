package io.dicomflow.standalone;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The upload service describes its endpoints in an OpenAPI document and serves Swagger UI. */
class OpenApiIT {

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void theOpenApiDocumentListsTheIngestEndpoints() {
		Pipeline.Response response = this.pipeline.get("alice", "/v3/api-docs");
		assertThat(response.status()).isEqualTo(200);
		JsonNode paths = response.body().path("paths");
		assertThat(paths.propertyNames()).contains("/api/uploads", "/api/uploads/{id}", "/api/uploads/sessions",
				"/api/uploads/sessions/{id}/files", "/api/uploads/sessions/{id}/commit", "/api/uploads/tus",
				"/api/uploads/tus/{id}");
		assertThat(paths.path("/api/uploads").path("post").path("requestBody").path("content").has("multipart/form-data"))
			.isTrue();
		int ui = this.pipeline.http.get()
			.uri("/swagger-ui/index.html")
			.header("Authorization", Pipeline.authorization("alice"))
			.exchange((request, r) -> r.getStatusCode().value());
		assertThat(ui).isEqualTo(200);
	}

}
