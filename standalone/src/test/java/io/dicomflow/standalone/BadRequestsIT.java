package io.dicomflow.standalone;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed requests answer RFC 9457 problem+json and leave nothing behind. */
class BadRequestsIT {

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void aRequestThatIsNotMultipartIs415() {
		Pipeline.Response response = this.pipeline.http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("alice"))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"files\": []}")
			.exchange((request, r) -> new Pipeline.Response(r.getStatusCode().value(), r.getHeaders().getContentType(),
					Pipeline.JSON.readTree(r.getBody().readAllBytes())));
		assertThat(response.status()).isEqualTo(415);
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("status").asInt()).isEqualTo(415);
	}

	@Test
	void aMultipartRequestWithoutFilesIs400() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("comment", "no files here");
		Pipeline.Response response = this.pipeline.http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("alice"))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body.build())
			.exchange((request, r) -> new Pipeline.Response(r.getStatusCode().value(), r.getHeaders().getContentType(),
					Pipeline.JSON.readTree(r.getBody().readAllBytes())));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("type").asString()).endsWith("/no-files");
	}

	@Test
	void anUnreadableFileIsRejectedPerFileAndLeavesNothingInS3OrTheDatabase() {
		JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);
		S3Client s3 = this.pipeline.services.upload().getBean(S3Client.class);
		String bucket = this.pipeline.infrastructure.s3Bucket();
		long rowsBefore = db.queryForObject("select count(*) from upload_file", Long.class);
		long uploadsBefore = db.queryForObject("select count(*) from upload", Long.class);
		int objectsBefore = s3.listObjectsV2((r) -> r.bucket(bucket)).keyCount();

		Pipeline.Response response = this.pipeline.upload("alice",
				Map.of("notes.txt", "this is not a DICOM file".getBytes(StandardCharsets.UTF_8), "empty.dcm",
						new byte[0]));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("files")).hasSize(2)
			.allSatisfy((f) -> assertThat(f.path("outcome").asString()).isEqualTo("REJECTED"));
		assertThat(response.body().path("files").valueStream().map((f) -> f.path("rejection").path("code").asString()))
			.containsExactlyInAnyOrder("NOT_DICOM", "EMPTY_FILE");
		assertThat(db.queryForObject("select count(*) from upload_file", Long.class)).isEqualTo(rowsBefore);
		assertThat(db.queryForObject("select count(*) from upload", Long.class)).isEqualTo(uploadsBefore);
		assertThat(s3.listObjectsV2((r) -> r.bucket(bucket)).keyCount()).isEqualTo(objectsBefore);
	}

}
