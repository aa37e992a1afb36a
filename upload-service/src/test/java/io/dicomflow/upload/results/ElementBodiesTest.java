package io.dicomflow.upload.results;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class ElementBodiesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ElementBodies bodies = new ElementBodies(JSON, new ElementsProperties(1_000_000, 3, 100));

	@Test
	void singleBodyKeepsItsRawDataAndTakesDeviceName() {
		String body = "{\"id\": \"aabbcc1\", \"data\": [\"53 26 49\", \"26 55\"], \"device_name\": \"CT SCAN\","
				+ " \"raw_data\": {\"id\": \"aabbcc1\", \"data\": [\"53 26 49\", \"26 55\"], \"deviceName\": \"CT SCAN\"}}";
		List<NewElement> parsed = this.bodies.parse(JSON.readTree(body));
		assertThat(parsed).singleElement().satisfies((e) -> {
			assertThat(e.key()).isNull();
			assertThat(e.id()).isEqualTo("aabbcc1");
			assertThat(e.deviceName()).isEqualTo("CT SCAN");
			assertThat((JsonNode) e.rawData()).isEqualTo(JSON.readTree(body).get("raw_data"));
			// 53+26+49+26+55 = 209 over 5 values; max 55 (by hand)
			assertThat(e.statistics().count()).isEqualTo(5);
			assertThat(e.statistics().mean()).isCloseTo(41.8, within(1e-12));
			assertThat(e.statistics().averageAfterNormalization()).isCloseTo(41.8 / 55, within(1e-12));
		});
	}

	@Test
	void singleBodyWithoutRawDataGetsTheBriefsShape() {
		NewElement e = this.bodies.parse(JSON.readTree("{\"id\": \"x\", \"data\": [\"1 2\"], \"device_name\": \"MRI\"}")).get(0);
		assertThat((JsonNode) e.rawData())
			.isEqualTo(JSON.readTree("{\"id\": \"x\", \"data\": [\"1 2\"], \"deviceName\": \"MRI\"}"));
	}

	@Test
	void batchBodyGivesOneElementPerKeyInOrderWithTheElementAsRawData() {
		String body = "{\"1\": {\"id\": \"a1\", \"data\": [\"1 2 3\"], \"deviceName\": \"CT SCAN\"},"
				+ " \"2\": {\"id\": \"a2\", \"data\": [\"4\", \"5 6\"], \"deviceName\": \"MRI\"}}";
		List<NewElement> parsed = this.bodies.parse(JSON.readTree(body));
		assertThat(parsed).extracting(NewElement::key).containsExactly("1", "2");
		assertThat(parsed).extracting(NewElement::id).containsExactly("a1", "a2");
		assertThat(parsed).extracting(NewElement::deviceName).containsExactly("CT SCAN", "MRI");
		assertThat((JsonNode) parsed.get(1).rawData()).isEqualTo(JSON.readTree(body).get("2"));
		assertThat(parsed.get(1).statistics().mean()).isEqualTo(5.0);
		assertThat(parsed.get(1).statistics().averageAfterNormalization()).isCloseTo(5.0 / 6, within(1e-15));
	}

	@Test
	void sameIdTwiceInABatchIsAConflictNamingBothKeys() {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class, () -> this.bodies.parse(JSON
			.readTree("{\"a\": {\"id\": \"same\", \"data\": [\"1\"]}, \"b\": {\"id\": \"same\", \"data\": [\"2\"]}}")));
		assertThat(ex.getStatusCode().value()).isEqualTo(409);
		assertThat(ex.getBody().getDetail()).contains("\"a\"", "\"b\"", "\"same\"");
	}

	@Test
	void invalidBodiesAreRefused() {
		for (String body : List.of("[]", "{}", "{\"id\": \"\", \"data\": [\"1\"]}", "{\"id\": 1, \"data\": [\"1\"]}",
				"{\"id\": \"a/b\", \"data\": [\"1\"]}", "{\"id\": \"" + "x".repeat(201) + "\", \"data\": [\"1\"]}",
				"{\"id\": \"x\", \"data\": [\"1\"], \"device_name\": 5}",
				"{\"id\": \"x\", \"data\": [\"1\"], \"raw_data\": [1]}",
				"{\"id\": \"x\", \"data\": [\"1\"], \"device_name\": \"A\", \"raw_data\": {\"deviceName\": \"B\"}}",
				"{\"id\": \"x\", \"data\": [\"1\"], \"raw_data\": {\"id\": \"y\"}}", "{\"1\": \"not an object\"}",
				"{\"1\": {\"id\": \"a\", \"data\": [\"1\"]}, \"2\": {\"id\": \"b\", \"data\": [\"1\"]},"
						+ " \"3\": {\"id\": \"c\", \"data\": [\"1\"]}, \"4\": {\"id\": \"d\", \"data\": [\"1\"]}}")) {
			ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
					() -> this.bodies.parse(JSON.readTree(body)));
			assertThat(ex).as(body).isNotNull();
			assertThat(ex.getBody().getType()).as(body).isEqualTo(ElementProblems.INVALID_ELEMENT);
		}
	}

}
