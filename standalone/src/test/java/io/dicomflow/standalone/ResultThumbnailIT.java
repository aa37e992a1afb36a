package io.dicomflow.standalone;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analysed image's thumbnail (issue 15): the worker keeps the PNG it rendered with the result, the Results
 * API serves it to the owner and an admin only, and deleting the element deletes it.
 */
class ResultThumbnailIT {

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	/** ThumbnailRenderer.MAX_SIDE: the longest side of a thumbnail. */
	private static final int MAX_SIDE = 256;

	// used by no other test, so no other test's re-analysis or deletion touches this owner's element
	private static final String FILE = "heudiconv-phantom.dcm";

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void ownerAndAdminGetTheAnalysedImagesPngOthersDoNot() throws Exception {
		Pipeline.Response receipt = this.pipeline.upload("alice", Map.of(FILE, Pipeline.corpus(FILE)));
		assertThat(receipt.status()).isEqualTo(202);
		String uploadId = receipt.body().path("uploadId").asString();
		JsonNode file = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.get("alice", "/api/uploads/" + uploadId).body().path("files").path(0),
					(f) -> f.path("transitions").has("DONE"));
		String id = file.path("result").path("id").asString();
		assertThat(id).isNotEmpty();
		String path = "/api/elements/" + id + "/thumbnail";

		Raw own = get("alice", path);
		assertThat(own.status()).isEqualTo(200);
		assertThat(own.headers().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
		assertThat(own.headers().getCacheControl()).contains("private").doesNotContain("public");
		byte[] png = own.body();
		assertThat(Arrays.copyOf(png, 8)).isEqualTo(PNG_SIGNATURE);
		// the first chunk is IHDR: length 13, type, then width and height (big-endian)
		ByteBuffer header = ByteBuffer.wrap(png, 8, 25);
		assertThat(header.getInt()).isEqualTo(13);
		assertThat(new String(png, 12, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("IHDR");
		int width = ByteBuffer.wrap(png, 16, 4).getInt();
		int height = ByteBuffer.wrap(png, 20, 4).getInt();
		assertThat(width).isBetween(1, MAX_SIDE);
		assertThat(height).isBetween(1, MAX_SIDE);
		// the image's own shape, scaled to fit MAX_SIDE, as the element's raw_data states it
		JsonNode raw = this.pipeline.get("alice", "/api/elements/" + id + "/").body().path("raw_data");
		int columns = Integer.parseInt(raw.path("Columns").asString());
		int rows = Integer.parseInt(raw.path("Rows").asString());
		double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(columns, rows));
		assertThat(width).isEqualTo(Math.max(1, (int) Math.round(columns * scale)));
		assertThat(height).isEqualTo(Math.max(1, (int) Math.round(rows * scale)));
		BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(decoded).as("a PNG a real decoder reads").isNotNull();
		assertThat(decoded.getWidth()).isEqualTo(width);
		assertThat(decoded.getHeight()).isEqualTo(height);

		// an admin may read any; the owner's own version 1 too
		Raw admin = get("admin", path + "?owner=alice");
		assertThat(admin.status()).isEqualTo(200);
		assertThat(admin.body()).isEqualTo(png);
		assertThat(get("alice", path + "/?version=1").body()).isEqualTo(png);

		// another owner: missing, as every route answers; the uploader role has no Results API at all
		Raw bob = get("bob", path);
		assertThat(bob.status()).isEqualTo(404);
		assertThat(bob.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(Pipeline.JSON.readTree(bob.body()).path("type").asString())
			.isEqualTo("https://dicomflow.io/problems/not-found");
		assertThat(get("modality", path).status()).isEqualTo(403);
		assertThat(get("alice", "/api/elements/no-such-element/thumbnail").status()).isEqualTo(404);

		// deleting the element deletes its thumbnail (ON DELETE CASCADE), nothing of the image is left
		assertThat(thumbnailRows(id)).isEqualTo(1);
		assertThat(delete("alice", "/api/elements/" + id + "/")).isEqualTo(204);
		assertThat(thumbnailRows(id)).isZero();
		assertThat(get("alice", path).status()).isEqualTo(404);
	}

	/** A posted element (no image) has no thumbnail: 404, not an empty image. */
	@Test
	void postedElementHasNoThumbnail() {
		String id = "thumbnail-less-1";
		int created = this.pipeline.http.post()
			.uri("/api/elements/")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("alice"))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"data\": [\"1 2 3\"], \"device_name\": \"CT\"}")
			.exchange((req, response) -> response.getStatusCode().value());
		assertThat(created).isEqualTo(201);
		try {
			Raw none = get("alice", "/api/elements/" + id + "/thumbnail");
			assertThat(none.status()).isEqualTo(404);
			assertThat(none.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			delete("alice", "/api/elements/" + id + "/");
		}
	}

	private long thumbnailRows(String resultId) throws Exception {
		Map<String, Object> db = this.pipeline.infrastructure.springProperties();
		try (Connection c = DriverManager.getConnection((String) db.get("spring.datasource.url"),
				(String) db.get("spring.datasource.username"), (String) db.get("spring.datasource.password"));
				PreparedStatement query = c
					.prepareStatement("select count(*) from medical_image_result_thumbnail where result_id = ?")) {
			query.setString(1, resultId);
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private int delete(String user, String path) {
		return this.pipeline.http.delete()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((req, response) -> response.getStatusCode().value());
	}

	private Raw get(String user, String path) {
		return this.pipeline.http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.exchange((req, response) -> new Raw(response.getStatusCode().value(), response.getHeaders(),
					response.getBody().readAllBytes()));
	}

	record Raw(int status, HttpHeaders headers, byte[] body) {
	}

}
