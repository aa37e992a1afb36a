package io.dicomflow.standalone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.dicomflow.upload.UploadServiceApplication;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second upload service on the same database and broker, with an outbox limit of 0: one event that cannot be
 * published yet makes it answer 503 with Retry-After (problem+json) and store nothing; once the backlog is
 * gone it takes uploads again. The shared pipeline keeps its default limits.
 */
class BackpressureIT {

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void anOutboxBacklogAboveTheLimitTurnsUploadsAwayWith503AndRetryAfter() {
		Map<String, Object> properties = new LinkedHashMap<>(Pipeline.serviceProperties(this.pipeline.infrastructure));
		properties.put("server.port", 0);
		properties.put("dicomflow.upload.backpressure.max-outbox-pending", 0);
		properties.put("dicomflow.upload.backpressure.check-interval", "0s");
		properties.put("dicomflow.upload.backpressure.retry-after", "17s");
		ConfigurableApplicationContext service = UploadServiceApplication.start(properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new));
		JdbcTemplate db = service.getBean(JdbcTemplate.class);
		UUID backlog = UUID.randomUUID();
		try {
			RestClient http = Pipeline.client("http://127.0.0.1:" + DicomflowServices.port(service));
			await().atMost(Duration.ofSeconds(30)).until(() -> status(http, upload()) == 202);

			// an event the relay will not try for a day: the backlog the gate measures
			db.update("insert into outbox_event (id, exchange, routing_key, payload, headers, created_at, "
					+ "next_attempt_at) values (?, 'dicomflow.uploads', 'test.backlog', ?, '{}'::jsonb, now(), "
					+ "now() + interval '1 day')", backlog, new byte[] { '{', '}' });
			long files = db.queryForObject("select count(*) from upload_file", Long.class);
			var refused = http.post()
				.uri("/api/uploads")
				.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("bob"))
				.contentType(MediaType.MULTIPART_FORM_DATA)
				.body(upload())
				.exchange((request, response) -> Map.of("status", response.getStatusCode().value(), "retryAfter",
						String.valueOf(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)), "type",
						String.valueOf(response.getHeaders().getContentType())));
			assertThat(refused).containsEntry("status", 503)
				.containsEntry("retryAfter", "17")
				.containsEntry("type", MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(db.queryForObject("select count(*) from upload_file", Long.class)).isEqualTo(files);
			assertThat(status(http, null, "GET")).as("reads are never refused").isEqualTo(200);

			db.update("delete from outbox_event where id = ?", backlog);
			await().atMost(Duration.ofSeconds(30)).until(() -> status(http, upload()) == 202);
		}
		finally {
			db.update("delete from outbox_event where id = ?", backlog);
			service.close();
		}
	}

	private static org.springframework.util.MultiValueMap<String, org.springframework.http.HttpEntity<?>> upload() {
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(),
				Part10Writer.uid(), Part10Writer.pixels(3)).toBytes();
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("files", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "image.dcm";
			}
		}).contentType(MediaType.parseMediaType("application/dicom"));
		return body.build();
	}

	private static int status(RestClient http, Object body) {
		return status(http, body, "POST");
	}

	private static int status(RestClient http, Object body, String method) {
		if ("GET".equals(method)) {
			return http.get()
				.uri("/api/uploads")
				.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("bob"))
				.exchange((request, response) -> response.getStatusCode().value());
		}
		return http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("bob"))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body)
			.exchange((request, response) -> response.getStatusCode().value());
	}

}
