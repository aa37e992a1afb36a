package io.dicomflow.upload.results;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DataValuesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void raggedLinesAreOneFlatListAndBlankLinesAreSkipped() {
		assertThat(parse("[\"1 2 3\", \"4 5\", \"\", \"   \", \"6\"]")).containsExactly(1, 2, 3, 4, 5, 6);
	}

	@Test
	void tokensAreSeparatedByAnyWhitespaceAndMayCarryASign() {
		assertThat(parse("[\"  7\\t-8   +9 \", \"-9223372036854775808 9223372036854775807\"]")).containsExactly(7, -8, 9,
				Long.MIN_VALUE, Long.MAX_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.5", "x", "0x10", "1e3", "9223372036854775808", "--1", "NaN", "4,5" })
	void aTokenThatIsNotA64BitIntegerNamesElementLineAndToken(String token) {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
				() -> DataValues.parse("3", "abc", JSON.readTree("[\"1 2\", \"3 " + token + " 4\"]"), 100));
		ProblemDetail problem = ex.getBody();
		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(problem.getType()).isEqualTo(ElementProblems.BAD_NUMBER);
		assertThat(problem.getProperties()).containsEntry("element", "3")
			.containsEntry("id", "abc")
			.containsEntry("line", 2)
			.containsEntry("token", 2)
			.containsEntry("value", token);
		assertThat(problem.getDetail()).isEqualTo("element \"3\" (id \"abc\"), line 2, token 2: \"" + token + "\" is not an integer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "[\"\", \"  \"]", "null" })
	void noValuesAtAllIsEmptyData(String data) {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
				() -> DataValues.parse(null, "abc", JSON.readTree(data), 100));
		assertThat(ex.getBody().getType()).isEqualTo(ElementProblems.EMPTY_DATA);
		assertThat(ex.getBody().getProperties()).containsEntry("id", "abc").doesNotContainKey("element");
	}

	@Test
	void missingDataIsEmptyData() {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
				() -> DataValues.parse(null, "abc", null, 100));
		assertThat(ex.getBody().getType()).isEqualTo(ElementProblems.EMPTY_DATA);
	}

	@Test
	void linesMustBeStringsAndDataAnArray() {
		for (String data : List.of("[1, 2]", "\"1 2\"", "{\"a\": \"1\"}")) {
			ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
					() -> DataValues.parse(null, "abc", JSON.readTree(data), 100));
			assertThat(ex.getBody().getType()).as(data).isEqualTo(ElementProblems.INVALID_ELEMENT);
		}
	}

	@Test
	void moreValuesThanTheLimitAreRefused() {
		assertThat(parse("[\"1 2 3\", \"4\"]", 4)).hasSize(4);
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
				() -> DataValues.parse(null, "abc", JSON.readTree("[\"1 2 3\", \"4 5\"]"), 4));
		assertThat(ex.getBody().getType()).isEqualTo(ElementProblems.INVALID_ELEMENT);
		assertThat(ex.getBody().getDetail()).contains("more than 4 values");
	}

	@Test
	void manyValuesGrowTheBufferWithoutLosingAny() {
		StringBuilder line = new StringBuilder();
		for (int i = 1; i <= 1000; i++) {
			line.append(i).append(' ');
		}
		long[] values = parse("[\"" + line + "\", \"" + line + "\"]", 10_000);
		assertThat(values).hasSize(2000);
		assertThat(values[999]).isEqualTo(1000);
		assertThat(values[1999]).isEqualTo(1000);
	}

	private static long[] parse(String data) {
		return parse(data, 1_000_000);
	}

	private static long[] parse(String data, int max) {
		JsonNode node = JSON.readTree(data);
		return DataValues.parse(null, "abc", node, max);
	}

}
