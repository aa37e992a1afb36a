package io.dicomflow.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The Results API ({@code /api/elements/}) on the whole product: the brief's exact request bodies with
 * figures computed independently in Python ({@code elements/expected.json}, see elements/README.md), every
 * filter, every error, ownership (alice, bob, admin) and the versioned analyses of uploaded DICOM images.
 */
class ElementsApiIT {

	private static final String BASE = "/api/elements/";

	private final Pipeline pipeline = Pipeline.get();

	/** Every test leaves no posted element behind (the admin names the owner: ids are per owner). */
	@AfterEach
	void deletePostedElements() {
		JsonNode page = send(HttpMethod.GET, "admin", BASE + "?source=api&size=100", null).body();
		while (page.path("content").size() > 0) {
			for (JsonNode element : page.path("content")) {
				assertThat(send(HttpMethod.DELETE, "admin", BASE + element.path("id").asString() + "/?owner="
						+ element.path("owner").asString(), null).status())
					.isEqualTo(204);
			}
			page = send(HttpMethod.GET, "admin", BASE + "?source=api&size=100", null).body();
		}
	}

	/**
	 * The brief's Task 4 logs every request of the Results API: here real requests through Spring Security and
	 * MVC, and the log lines they leave (caught by an appender on the request logger), with a patient-like id,
	 * device name and data that must not appear in them.
	 */
	@Test
	void everyRequestResponseAndErrorIsLoggedWithoutPatientValues() {
		String id = "DoeJane19600101";
		ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger("io.dicomflow.upload.results.requests");
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			assertThat(send(HttpMethod.POST, "alice", BASE,
					"{\"id\": \"" + id + "\", \"data\": [\"4711 4712\"], \"device_name\": \"Ward of Jane Doe\"}")
				.status()).isEqualTo(201);
			assertThat(send(HttpMethod.GET, "bob", BASE + id + "/", null).status()).isEqualTo(404);
			assertThat(send(HttpMethod.GET, "modality", BASE + "?device_name=Jane", null).status()).isEqualTo(403);
			assertThat(send(HttpMethod.DELETE, "alice", BASE + id + "/", null).status()).isEqualTo(204);
		}
		finally {
			logger.detachAppender(appender);
		}
		List<String> lines = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
		assertThat(lines).hasSize(4);
		assertThat(lines.get(0)).matches("results-api POST /api/elements status=201 owner=alice durationMs=\\d+ problem=- error=-");
		assertThat(lines.get(1)).matches("results-api GET /api/elements/\\{id\\} id#=[0-9a-f]{12} status=404 owner=bob "
				+ "durationMs=\\d+ problem=https://dicomflow.io/problems/not-found error=ErrorResponseException");
		assertThat(lines.get(2)).matches("results-api GET /api/elements status=403 owner=modality durationMs=\\d+ problem=- error=-");
		assertThat(lines.get(3)).matches("results-api DELETE /api/elements/\\{id\\} id#=[0-9a-f]{12} status=204 owner=alice "
				+ "durationMs=\\d+ problem=- error=-");
		assertThat(String.join("\n", lines)).doesNotContain("Doe").doesNotContain("Jane").doesNotContain("4711");
	}

	@Test
	void briefsSingleBodyIsCreatedReadUpdatedAndDeletedAsInTheBrief() {
		String body = resource("/elements/brief-single.json");
		JsonNode expected = expected("brief-single.json").path("aabbcc1");

		Response created = send(HttpMethod.POST, "alice", BASE, body);
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.headers().getLocation()).hasToString("/api/elements/aabbcc1/");
		assertFigures(created.body(), expected);
		assertThat(created.body().path("id").asString()).isEqualTo("aabbcc1");
		assertThat(created.body().path("device_name").asString()).isEqualTo("CT SCAN");
		assertThat(created.body().path("raw_data")).isEqualTo(Pipeline.JSON.readTree(body).path("raw_data"));
		assertThat(created.body().path("owner").asString()).isEqualTo("alice");
		assertThat(created.body().path("source").asString()).isEqualTo("api");
		assertThat(created.body().path("version").asInt()).isEqualTo(1);
		assertThat(created.body().path("min_value").asDouble()).isEqualTo(expected.path("min").asDouble());
		assertThat(created.body().path("max_value").asDouble()).isEqualTo(expected.path("max").asDouble());
		OffsetDateTime createdDate = OffsetDateTime.parse(created.body().path("created_date").asString());

		for (String path : List.of(BASE + "aabbcc1/", BASE + "aabbcc1", "/api/elements/aabbcc1/")) {
			Response read = send(HttpMethod.GET, "alice", path, null);
			assertThat(read.status()).as(path).isEqualTo(200);
			assertThat(read.body()).as(path).isEqualTo(created.body());
		}
		JsonNode list = send(HttpMethod.GET, "alice", BASE + "?source=api", null).body();
		assertThat(ids(list)).containsExactly("aabbcc1");

		Response updated = send(HttpMethod.PUT, "alice", BASE + "aabbcc1/", "{\"device_name\": \"CT SCAN UPDATED\"}");
		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.body().path("device_name").asString()).isEqualTo("CT SCAN UPDATED");
		assertThat(updated.body().path("raw_data").path("deviceName").asString()).isEqualTo("CT SCAN UPDATED");
		assertThat(updated.body().path("raw_data").path("id").asString()).isEqualTo("aabbcc1");
		assertFigures(updated.body(), expected);
		assertThat(OffsetDateTime.parse(updated.body().path("updated_date").asString())).isAfter(createdDate);
		assertThat(updated.body().path("created_date")).isEqualTo(created.body().path("created_date"));

		assertThat(send(HttpMethod.DELETE, "alice", BASE + "aabbcc1/", null).status()).isEqualTo(204);
		assertNotFound(send(HttpMethod.GET, "alice", BASE + "aabbcc1/", null), "aabbcc1");
	}

	@Test
	void sampleBatchesAreCreatedWholeWithTheFiguresOfEachElement() {
		Response small = send(HttpMethod.POST, "alice", BASE, resource("/corpus/seed/sample-03-00-json.json"));
		assertThat(small.status()).isEqualTo(201);
		assertBatch(small.body(), expected("sample-03-00-json.json"));

		// all or nothing: aabbcc1 and aabbcc2 exist, so none of the 50 elements is stored
		Response clash = send(HttpMethod.POST, "alice", BASE, resource("/corpus/seed/sample-04-json.json"));
		assertThat(clash.status()).isEqualTo(409);
		assertProblem(clash, "https://dicomflow.io/problems/duplicate-element-id");
		assertThat(clash.body().path("id").asString()).isEqualTo("aabbcc1");
		assertThat(clash.body().path("detail").asString()).contains("element \"1\"", "aabbcc1", "nothing of the batch");
		assertThat(send(HttpMethod.GET, "alice", BASE + "aabbcc3/", null).status()).isEqualTo(404);
		assertThat(ids(send(HttpMethod.GET, "alice", BASE + "?source=api", null).body()))
			.containsExactlyInAnyOrder("aabbcc1", "aabbcc2");

		send(HttpMethod.DELETE, "alice", BASE + "aabbcc1/", null);
		send(HttpMethod.DELETE, "alice", BASE + "aabbcc2/", null);
		Response full = send(HttpMethod.POST, "alice", BASE, resource("/corpus/seed/sample-04-json.json"));
		assertThat(full.status()).isEqualTo(201);
		assertBatch(full.body(), expected("sample-04-json.json"));
		assertThat(send(HttpMethod.GET, "alice", BASE + "?source=api&size=5", null).body().path("page").path("totalElements").asLong())
			.isEqualTo(50);
	}

	@Test
	void everyFilterSelectsExactlyTheElementsItShould() {
		JsonNode expected = expected("sample-04-json.json");
		assertThat(send(HttpMethod.POST, "alice", BASE, resource("/corpus/seed/sample-04-json.json")).status()).isEqualTo(201);
		// ragged lines are one flat list: 1..6, mean 3.5, after normalisation 3.5 / 6
		Response ragged = send(HttpMethod.POST, "alice", BASE,
				"{\"id\": \"ragged\", \"device_name\": \"Ultrasound\", \"data\": [\"1 2 3\", \"4 5\", \"\", \"6\"]}");
		assertThat(ragged.status()).isEqualTo(201);
		assertThat(ragged.body().path("data_size").asLong()).isEqualTo(6);
		assertThat(ragged.body().path("average_before_normalization").asDouble()).isEqualTo(3.5);
		assertThat(ragged.body().path("average_after_normalization").asDouble()).isCloseTo(3.5 / 6, within(1e-15));
		Map<String, JsonNode> all = new LinkedHashMap<>();
		expected.propertyNames().forEach((id) -> all.put(id, expected.path(id)));
		all.put("ragged", Pipeline.JSON.readTree(
				"{\"data_size\": 6, \"average_before_normalization\": 3.5, \"average_after_normalization\": 0.5833333333333334, \"device_name\": \"Ultrasound\"}"));

		assertFilter("device_name=MRI", all, (e) -> e.path("device_name").asString().equals("MRI"));
		assertFilter("device_name=rx 1", all, (e) -> e.path("device_name").asString().equals("RX 1"));
		assertFilter("data_size_max=10", all, (e) -> e.path("data_size").asLong() <= 10);
		assertFilter("data_size_min=7&data_size_max=50", all, (e) -> e.path("data_size").asLong() >= 7);
		assertFilter("average_before_normalization_min=45&average_before_normalization_max=50", all,
				(e) -> between(e.path("average_before_normalization").asDouble(), 45, 50));
		assertFilter("average_before_normalization_max=40", all,
				(e) -> e.path("average_before_normalization").asDouble() <= 40);
		assertFilter("average_after_normalization_min=0.5&average_after_normalization_max=0.55", all,
				(e) -> between(e.path("average_after_normalization").asDouble(), 0.5, 0.55));
		assertFilter("average_after_normalization_min=0.56", all,
				(e) -> e.path("average_after_normalization").asDouble() >= 0.56);
		assertFilter("device_name=CT SCAN&average_before_normalization_min=50", all,
				(e) -> e.path("device_name").asString().equals("CT SCAN")
						&& e.path("average_before_normalization").asDouble() >= 50);

		// dates: the server's own timestamps as bounds, so no clock of this JVM is involved
		JsonNode later = send(HttpMethod.POST, "alice", BASE, "{\"id\": \"later\", \"data\": [\"7 8 9\"]}").body();
		String laterCreated = utc(later.path("created_date").asString());
		assertThat(ids(list("alice", "source=api&size=100&created_date_min=" + laterCreated))).containsExactly("later");
		assertThat(ids(list("alice", "source=api&size=100&created_date_max=" + utc(ragged.body().path("created_date").asString()))))
			.hasSize(51)
			.doesNotContain("later");
		JsonNode renamed = send(HttpMethod.PATCH, "alice", BASE + "aabbcc7/", "{\"device_name\": \"RX 2\"}").body();
		String renamedAt = utc(renamed.path("updated_date").asString());
		assertThat(ids(list("alice", "source=api&size=100&updated_date_min=" + renamedAt))).containsExactly("aabbcc7");
		assertThat(ids(list("alice", "source=api&size=100&updated_date_max=" + utc(later.path("updated_date").asString()))))
			.hasSize(51)
			.doesNotContain("aabbcc7");
		assertThat(ids(list("alice", "source=api&size=100&created_date_min=" + laterCreated + "&created_date_max=" + laterCreated)))
			.containsExactly("later");

		// paging: 52 elements in pages of 7, no repeats, nothing missing
		List<String> seen = new ArrayList<>();
		JsonNode first = list("alice", "source=api&size=7&page=0&sort=id");
		assertThat(first.path("page").path("totalElements").asLong()).isEqualTo(52);
		assertThat(first.path("page").path("totalPages").asLong()).isEqualTo(8);
		for (int page = 0; page < 8; page++) {
			List<String> ids = ids(list("alice", "source=api&size=7&sort=id&page=" + page));
			assertThat(ids).hasSize(page < 7 ? 7 : 3);
			seen.addAll(ids);
		}
		assertThat(seen).doesNotHaveDuplicates().hasSize(52).containsAll(all.keySet());
		assertThat(ids(list("alice", "source=api&size=7&page=8"))).isEmpty();

		// sorting by each figure, both directions
		List<String> byBefore = all.entrySet().stream()
			.sorted(java.util.Comparator.comparingDouble((Map.Entry<String, JsonNode> e) -> e.getValue().path("average_before_normalization").asDouble())
				.thenComparing(Map.Entry::getKey))
			.map(Map.Entry::getKey)
			.toList();
		assertThat(ids(list("alice", "source=api&size=100&sort=average_before_normalization,asc"))
			.stream().filter(all::containsKey).toList()).isEqualTo(byBefore);
		List<String> byAfterDesc = ids(list("alice", "source=api&size=100&sort=average_after_normalization,desc"));
		List<Double> afters = byAfterDesc.stream()
			.map((id) -> send(HttpMethod.GET, "alice", BASE + id + "/", null).body().path("average_after_normalization").asDouble())
			.toList();
		assertThat(afters).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		assertThat(ids(list("alice", "source=api&size=3&sort=data_size,asc"))).first().isEqualTo("later");
		assertThat(ids(list("alice", "source=api&size=100&sort=id,desc"))).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		// newest first by default
		assertThat(ids(list("alice", "source=api&size=1"))).containsExactly("later");
	}

	@Test
	void badNumbersEmptyDataAndBadRequestsAreProblemsNamingTheCulprit() {
		// a bad token in element "2" of a batch: 400 naming element, line and token; element "1" not stored
		String batch = "{\"1\": {\"id\": \"good-1\", \"data\": [\"1 2 3\"], \"deviceName\": \"CT SCAN\"},"
				+ " \"2\": {\"id\": \"bad-2\", \"data\": [\"1 2 3\", \"4 x5 6\"], \"deviceName\": \"MRI\"}}";
		Response bad = send(HttpMethod.POST, "alice", BASE, batch);
		assertThat(bad.status()).isEqualTo(400);
		assertProblem(bad, "https://dicomflow.io/problems/bad-number");
		assertThat(bad.body().path("element").asString()).isEqualTo("2");
		assertThat(bad.body().path("id").asString()).isEqualTo("bad-2");
		assertThat(bad.body().path("line").asInt()).isEqualTo(2);
		assertThat(bad.body().path("token").asInt()).isEqualTo(2);
		assertThat(bad.body().path("value").asString()).isEqualTo("x5");
		assertThat(bad.body().path("detail").asString()).contains("element \"2\"", "line 2", "token 2", "\"x5\"");
		assertThat(send(HttpMethod.GET, "alice", BASE + "good-1/", null).status()).isEqualTo(404);

		for (String token : List.of("1.5", "9223372036854775808", "0x10", "NaN")) {
			Response single = send(HttpMethod.POST, "alice", BASE,
					"{\"id\": \"single-bad\", \"data\": [\"5 6\", \"7 8 " + token + "\"]}");
			assertThat(single.status()).as(token).isEqualTo(400);
			assertProblem(single, "https://dicomflow.io/problems/bad-number");
			assertThat(single.body().path("line").asInt()).as(token).isEqualTo(2);
			assertThat(single.body().path("token").asInt()).as(token).isEqualTo(3);
			assertThat(single.body().path("value").asString()).isEqualTo(token);
			assertThat(single.body().path("element").isMissingNode()).isTrue();
		}

		for (String data : List.of("\"data\": []", "\"data\": [\"\", \"   \"]", "\"data\": null", "\"device_name\": \"x\"")) {
			Response empty = send(HttpMethod.POST, "alice", BASE, "{\"id\": \"empty\", " + data + "}");
			assertThat(empty.status()).as(data).isEqualTo(400);
			assertProblem(empty, "https://dicomflow.io/problems/empty-data");
			assertThat(empty.body().path("id").asString()).isEqualTo("empty");
		}
		Response emptyInBatch = send(HttpMethod.POST, "alice", BASE, "{\"7\": {\"id\": \"e7\", \"data\": []}}");
		assertThat(emptyInBatch.status()).isEqualTo(400);
		assertProblem(emptyInBatch, "https://dicomflow.io/problems/empty-data");
		assertThat(emptyInBatch.body().path("element").asString()).isEqualTo("7");

		for (String body : List.of("{\"data\": [\"1\"]}", "{\"id\": \"\", \"data\": [\"1\"]}", "{\"id\": 5, \"data\": [\"1\"]}",
				"{\"id\": \"n\", \"data\": [1, 2]}", "{\"id\": \"n\", \"data\": \"1 2\"}", "{}", "[1, 2]",
				"{\"id\": \"n\", \"data\": [\"1\"], \"raw_data\": {\"id\": \"other\"}}", "{\"1\": 5}")) {
			Response invalid = send(HttpMethod.POST, "alice", BASE, body);
			assertThat(invalid.status()).as(body).isEqualTo(400);
			assertProblem(invalid, "https://dicomflow.io/problems/invalid-element");
		}
		Response malformed = send(HttpMethod.POST, "alice", BASE, "{\"id\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

		// duplicate ids: against stored elements (409) and inside one batch (409)
		assertThat(send(HttpMethod.POST, "alice", BASE, "{\"id\": \"dup\", \"data\": [\"1 2\"]}").status()).isEqualTo(201);
		Response duplicate = send(HttpMethod.POST, "alice", BASE, "{\"id\": \"dup\", \"data\": [\"3 4\"]}");
		assertThat(duplicate.status()).isEqualTo(409);
		assertProblem(duplicate, "https://dicomflow.io/problems/duplicate-element-id");
		assertThat(duplicate.body().path("id").asString()).isEqualTo("dup");
		Response twice = send(HttpMethod.POST, "alice", BASE,
				"{\"a\": {\"id\": \"twice\", \"data\": [\"1\"]}, \"b\": {\"id\": \"twice\", \"data\": [\"2\"]}}");
		assertThat(twice.status()).isEqualTo(409);
		assertThat(twice.body().path("detail").asString()).contains("\"a\"", "\"b\"");
		assertThat(send(HttpMethod.GET, "alice", BASE + "twice/", null).status()).isEqualTo(404);
		assertThat(send(HttpMethod.POST, "alice", BASE, "{\"id\": \"other\", \"data\": [\"1 2\"]}").status()).isEqualTo(201);
		Response renameClash = send(HttpMethod.PATCH, "alice", BASE + "other/", "{\"id\": \"dup\"}");
		assertThat(renameClash.status()).isEqualTo(409);
		assertProblem(renameClash, "https://dicomflow.io/problems/duplicate-element-id");

		// unknown ids: 404 for every method
		assertNotFound(send(HttpMethod.GET, "alice", BASE + "nope/", null), "nope");
		assertNotFound(send(HttpMethod.PUT, "alice", BASE + "nope/", "{\"device_name\": \"x\"}"), "nope");
		assertNotFound(send(HttpMethod.PATCH, "alice", BASE + "nope/", "{\"device_name\": \"x\"}"), "nope");
		assertNotFound(send(HttpMethod.DELETE, "alice", BASE + "nope/", null), "nope");
		assertNotFound(send(HttpMethod.GET, "alice", BASE + "dup/?version=2", null), "dup");

		// updates: PUT needs device_name, the data cannot change, values must be strings
		for (var update : List.of(Map.entry(HttpMethod.PUT, "{\"id\": \"x\"}"), Map.entry(HttpMethod.PATCH, "{}"),
				Map.entry(HttpMethod.PATCH, "{\"data\": [\"1\"]}"), Map.entry(HttpMethod.PUT, "{\"device_name\": 3}"),
				Map.entry(HttpMethod.PATCH, "{\"id\": \"a/b\"}"))) {
			Response response = send(update.getKey(), "alice", BASE + "dup/", update.getValue());
			assertThat(response.status()).as(update.toString()).isEqualTo(400);
			assertProblem(response, "https://dicomflow.io/problems/invalid-element");
		}

		// bad query parameters
		for (String query : List.of("data_size_min=abc", "created_date_min=yesterday", "sort=raw_data", "versions=some",
				"source=upload", "size=0", "page=-1")) {
			Response response = send(HttpMethod.GET, "alice", BASE + "?" + query, null);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.contentType()).as(query).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void eachUserSeesOnlyTheirOwnElementsAndAnAdminSeesAll() {
		assertThat(send(HttpMethod.POST, "alice", BASE, "{\"id\": \"alice-1\", \"data\": [\"1 2 3\"], \"device_name\": \"CT\"}").status())
			.isEqualTo(201);
		assertThat(send(HttpMethod.POST, "bob", BASE, "{\"id\": \"bob-1\", \"data\": [\"4 5 6\"], \"device_name\": \"MRI\"}").status())
			.isEqualTo(201);

		assertThat(ids(list("alice", "source=api"))).containsExactly("alice-1");
		assertThat(ids(list("bob", "source=api"))).containsExactly("bob-1");
		assertThat(ids(list("bob", "source=api&owner=alice"))).as("a user cannot ask for another owner").containsExactly("bob-1");
		assertThat(ids(list("admin", "source=api"))).containsExactlyInAnyOrder("alice-1", "bob-1");
		assertThat(ids(list("admin", "source=api&owner=bob"))).containsExactly("bob-1");

		// another user's element is indistinguishable from a missing one
		assertNotFound(send(HttpMethod.GET, "bob", BASE + "alice-1/", null), "alice-1");
		assertNotFound(send(HttpMethod.PUT, "bob", BASE + "alice-1/", "{\"device_name\": \"mine\"}"), "alice-1");
		assertNotFound(send(HttpMethod.PATCH, "bob", BASE + "alice-1/", "{\"id\": \"mine\"}"), "alice-1");
		assertNotFound(send(HttpMethod.DELETE, "bob", BASE + "alice-1/", null), "alice-1");
		assertThat(send(HttpMethod.GET, "alice", BASE + "alice-1/", null).body().path("device_name").asString()).isEqualTo("CT");
		// ids are per owner: alice's id gives bob no signal (no 409) and cannot be squatted; his element of that id
		// is his own, and alice's is untouched
		Response bobsOwn = send(HttpMethod.POST, "bob", BASE, "{\"id\": \"alice-1\", \"data\": [\"7\"], \"device_name\": \"US\"}");
		assertThat(bobsOwn.status()).isEqualTo(201);
		assertThat(bobsOwn.body().path("owner").asString()).isEqualTo("bob");
		assertThat(send(HttpMethod.GET, "alice", BASE + "alice-1/", null).body().path("device_name").asString()).isEqualTo("CT");
		assertThat(send(HttpMethod.GET, "bob", BASE + "alice-1/", null).body().path("device_name").asString()).isEqualTo("US");
		assertThat(send(HttpMethod.POST, "bob", BASE, "{\"id\": \"alice-1\", \"data\": [\"1\"]}").status())
			.as("a duplicate among one's own ids is still 409").isEqualTo(409);
		// an admin names the owner when two have the id
		Response ambiguous = send(HttpMethod.GET, "admin", BASE + "alice-1/", null);
		assertThat(ambiguous.status()).isEqualTo(409);
		assertThat(ambiguous.body().path("type").asString()).isEqualTo("https://dicomflow.io/problems/ambiguous-element-id");
		assertThat(send(HttpMethod.GET, "admin", BASE + "alice-1/?owner=bob", null).body().path("device_name").asString())
			.isEqualTo("US");
		assertThat(send(HttpMethod.DELETE, "bob", BASE + "alice-1/", null).status()).isEqualTo(204);
		assertThat(send(HttpMethod.GET, "alice", BASE + "alice-1/", null).status()).as("bob's delete is his own").isEqualTo(200);

		JsonNode asAdmin = send(HttpMethod.GET, "admin", BASE + "alice-1/", null).body();
		assertThat(asAdmin.path("owner").asString()).isEqualTo("alice");
		Response renamed = send(HttpMethod.PATCH, "admin", BASE + "alice-1/", "{\"id\": \"alice-renamed\", \"device_name\": \"CT 2\"}");
		assertThat(renamed.status()).isEqualTo(200);
		assertThat(renamed.body().path("owner").asString()).as("an admin's edit keeps the owner").isEqualTo("alice");
		assertThat(renamed.body().path("raw_data").path("id").asString()).isEqualTo("alice-renamed");
		assertThat(renamed.body().path("raw_data").path("deviceName").asString()).isEqualTo("CT 2");
		assertThat(send(HttpMethod.GET, "alice", BASE + "alice-1/", null).status()).isEqualTo(404);
		assertThat(send(HttpMethod.GET, "alice", BASE + "alice-renamed/", null).body().path("device_name").asString()).isEqualTo("CT 2");
		assertThat(send(HttpMethod.DELETE, "admin", BASE + "bob-1/", null).status()).isEqualTo(204);
		assertThat(ids(list("bob", "source=api"))).isEmpty();
		assertThat(ids(list("alice", "source=api"))).containsExactly("alice-renamed");
	}

	@Test
	void analysesOfUploadedImagesAreVersionedElements() throws Exception {
		String file = "heudiconv-01-anat-scout_0001.dcm";
		Pipeline.Response receipt = this.pipeline.upload("alice", Map.of(file, Pipeline.corpus(file)));
		assertThat(receipt.status()).isEqualTo(202);
		String uploadId = receipt.body().path("uploadId").asString();
		JsonNode fileView = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.get("alice", "/api/uploads/" + uploadId).body().path("files").path(0),
					(f) -> f.path("transitions").has("DONE"));
		String id = fileView.path("result").path("id").asString();
		String sop = fileView.path("sopInstanceUid").asString();

		JsonNode element = send(HttpMethod.GET, "alice", BASE + id + "/", null).body();
		JsonNode stored = Pipeline.reference(file).path("pixel").path("stored");
		assertThat(element.path("source").asString()).isEqualTo("analysis");
		assertThat(element.path("version").asInt()).isEqualTo(1);
		assertThat(element.path("data_size").asLong()).isEqualTo(stored.path("count").asLong());
		double mean = stored.path("mean").asDouble();
		assertThat(element.path("average_before_normalization").asDouble()).isCloseTo(mean, within(Math.abs(mean) * 1e-9));
		assertThat(element.path("average_after_normalization").asDouble())
			.isCloseTo(mean / stored.path("max").asDouble(), within(1e-9));
		assertThat(element.path("device_name").asString()).isEqualTo(fileView.path("result").path("deviceName").asString());
		assertThat(element.path("raw_data").path("sopInstanceUid").asString()).isEqualTo(sop);
		assertThat(ids(list("alice", "source=analysis&size=100"))).contains(id);
		assertNotFound(send(HttpMethod.GET, "bob", BASE + id + "/", null), id);

		// a re-analysis with a newer analyser, exactly as the worker writes it (ResultRecorder's insert)
		Map<String, Object> db = this.pipeline.infrastructure.springProperties();
		try (Connection c = DriverManager.getConnection((String) db.get("spring.datasource.url"),
				(String) db.get("spring.datasource.username"), (String) db.get("spring.datasource.password"));
				PreparedStatement insert = c.prepareStatement("insert into medical_image_result (id, owner, device_name, "
						+ "average_before_normalization, average_after_normalization, data_size, raw_data, upload_id, "
						+ "file_id, sop_instance_uid, sha256, analyzer_version, min_value, max_value, std_value) "
						+ "select ?, owner, device_name, 12.5, 0.25, data_size, raw_data, upload_id, file_id, sop_instance_uid, "
						+ "sha256, 'reanalysis-test-2', 0, 50, 1 from medical_image_result where id = ? "
						+ "on conflict do nothing")) {
			insert.setString(1, java.util.UUID.randomUUID().toString());
			insert.setString(2, id);
			assertThat(insert.executeUpdate()).isEqualTo(1);
		}
		JsonNode newest = send(HttpMethod.GET, "alice", BASE + id + "/", null).body();
		assertThat(newest.path("id").asString()).as("the element keeps its id").isEqualTo(id);
		assertThat(newest.path("version").asInt()).isEqualTo(2);
		assertThat(newest.path("analyzer_version").asString()).isEqualTo("reanalysis-test-2");
		assertThat(newest.path("average_before_normalization").asDouble()).isEqualTo(12.5);
		JsonNode first = send(HttpMethod.GET, "alice", BASE + id + "/?version=1", null).body();
		assertThat(first.path("average_before_normalization").asDouble()).isCloseTo(mean, within(Math.abs(mean) * 1e-9));
		assertThat(first.path("latest").asBoolean()).isFalse();
		List<JsonNode> latest = list("alice", "source=analysis&size=100").path("content").valueStream()
			.filter((e) -> e.path("id").asString().equals(id)).toList();
		assertThat(latest).singleElement().satisfies((e) -> assertThat(e.path("version").asInt()).isEqualTo(2));
		List<Integer> allVersions = list("alice", "source=analysis&size=100&versions=all").path("content").valueStream()
			.filter((e) -> e.path("id").asString().equals(id)).map((e) -> e.path("version").asInt()).toList();
		assertThat(allVersions).containsExactlyInAnyOrder(1, 2);
		assertThat(send(HttpMethod.GET, "alice", BASE + id + "/versions/", null).body().valueStream()
			.map((e) -> e.path("version").asInt()).toList()).containsExactly(2, 1);
		assertThat(send(HttpMethod.GET, "admin", BASE + id + "/", null).body().path("version").asInt()).isEqualTo(2);
	}

	// ---- helpers

	private void assertFilter(String query, Map<String, JsonNode> all, Predicate<JsonNode> expected) {
		Set<String> want = all.entrySet().stream().filter((e) -> expected.test(e.getValue())).map(Map.Entry::getKey)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(want).as("the filter %s must select something, and not everything", query).isNotEmpty().hasSizeLessThan(all.size());
		JsonNode page = list("alice", "source=api&size=100&" + query);
		assertThat(new TreeSet<>(ids(page))).as(query).isEqualTo(want);
		assertThat(page.path("page").path("totalElements").asLong()).as(query).isEqualTo(want.size());
	}

	private static boolean between(double v, double min, double max) {
		return v >= min && v <= max;
	}

	private JsonNode list(String user, String query) {
		Response response = send(HttpMethod.GET, user, BASE + "?" + query, null);
		assertThat(response.status()).as(query).isEqualTo(200);
		return response.body();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("content").forEach((e) -> ids.add(e.path("id").asString()));
		return ids;
	}

	private static void assertBatch(JsonNode created, JsonNode expected) {
		assertThat(created.isArray()).isTrue();
		List<String> expectedOrder = new ArrayList<>();
		expected.propertyNames().forEach(expectedOrder::add);
		assertThat(created.valueStream().map((e) -> e.path("id").asString()).toList()).isEqualTo(expectedOrder);
		for (JsonNode element : created) {
			JsonNode want = expected.path(element.path("id").asString());
			assertFigures(element, want);
			assertThat(element.path("device_name").asString()).isEqualTo(want.path("device_name").asString());
			assertThat(element.path("raw_data").path("deviceName").asString()).isEqualTo(want.path("device_name").asString());
			assertThat(element.path("raw_data").path("id").asString()).isEqualTo(element.path("id").asString());
		}
	}

	private static void assertFigures(JsonNode element, JsonNode expected) {
		assertThat(element.path("data_size").asLong()).isEqualTo(expected.path("data_size").asLong());
		double before = expected.path("average_before_normalization").asDouble();
		assertThat(element.path("average_before_normalization").asDouble()).isCloseTo(before, within(before * 1e-12));
		double after = expected.path("average_after_normalization").asDouble();
		assertThat(element.path("average_after_normalization").asDouble()).isCloseTo(after, within(after * 1e-12));
	}

	private static void assertProblem(Response response, String type) {
		assertThat(response.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.body().path("type").asString()).isEqualTo(type);
		assertThat(response.body().path("status").asInt()).isEqualTo(response.status());
		assertThat(response.body().path("title").asString()).isNotBlank();
	}

	private static void assertNotFound(Response response, String id) {
		assertThat(response.status()).isEqualTo(404);
		assertProblem(response, "https://dicomflow.io/problems/not-found");
		assertThat(response.body().path("id").asString()).isEqualTo(id);
	}

	private static String utc(String timestamp) {
		return OffsetDateTime.parse(timestamp).toInstant().toString();
	}

	private static JsonNode expected(String file) {
		return Pipeline.JSON.readTree(resource("/elements/expected.json")).path(file);
	}

	private static String resource(String name) {
		try (InputStream in = ElementsApiIT.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalArgumentException("no test resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Response(int status, MediaType contentType, JsonNode body, HttpHeaders headers) {
	}

	private Response send(HttpMethod method, String user, String path, String body) {
		var request = this.pipeline.http.method(method)
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user));
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Response(response.getStatusCode().value(), response.getHeaders().getContentType(),
					(bytes.length == 0) ? Pipeline.JSON.missingNode() : Pipeline.JSON.readTree(bytes), response.getHeaders());
		});
	}

}
