package io.dicomflow.upload.dicomweb;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QueryKeysTest {

	private static final List<String> ALL = List.of("StudyInstanceUID", "PatientID", "PatientName", "StudyDate",
			"Modality");

	@Test
	void keysByKeywordOrTagBecomeParameterisedConditions() {
		MapSqlParameterSource params = new MapSqlParameterSource();
		List<String> conditions = QueryKeys.conditions(query("PatientID", "P1", "00080060", "CT", "includefield", "all"),
				ALL, params);

		assertThat(conditions).containsExactly("patient_id = :p0", "modality = :p1");
		assertThat(params.getValue("p0")).isEqualTo("P1");
		assertThat(params.getValue("p1")).isEqualTo("CT");
	}

	@Test
	void wildcardsBecomeLikePatternsWithLikesOwnCharactersEscaped() {
		MapSqlParameterSource params = new MapSqlParameterSource();
		List<String> conditions = QueryKeys.conditions(query("PatientName", "DOE^J*", "PatientID", "A_1?%"), ALL, params);

		assertThat(conditions).containsExactly("patient_name ilike :p0 escape '\\'", "patient_id like :p1 escape '\\'");
		assertThat(params.getValue("p0")).isEqualTo("DOE^J%");
		assertThat(params.getValue("p1")).isEqualTo("A\\_1_\\%");
	}

	@Test
	void dateRangesAndUidListsAreUnderstood() {
		MapSqlParameterSource params = new MapSqlParameterSource();
		List<String> conditions = QueryKeys.conditions(
				query("StudyDate", "20200101-20201231", "StudyInstanceUID", "1.2.3,1.2.4\\1.2.5"), ALL, params);

		assertThat(conditions).containsExactly("(study_date >= :p0from and study_date <= :p0to)",
				"study_instance_uid in (:p3)");
		assertThat(params.getValue("p0from")).isEqualTo("20200101");
		assertThat(params.getValue("p0to")).isEqualTo("20201231");
		assertThat(params.getValue("p3")).isEqualTo(List.of("1.2.3", "1.2.4", "1.2.5"));
		assertThat(QueryKeys.conditions(query("StudyDate", "-20201231"), ALL, new MapSqlParameterSource()))
			.containsExactly("(study_date <= :p0to)");
	}

	@Test
	void emptyOrUniversalValuesMatchEverythingAndKeysOfOtherLevelsAreIgnored() {
		assertThat(QueryKeys.conditions(query("PatientID", "", "Modality", "*", "SOPInstanceUID", "1.2"), ALL,
				new MapSqlParameterSource())).isEmpty();
	}

	@Test
	void unmatchableValuesAre400() {
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> QueryKeys.conditions(query("StudyDate", "2020"), ALL, new MapSqlParameterSource()))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(400));
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> QueryKeys.integer(query("limit", "-1"), "limit", 10));
		assertThat(QueryKeys.integer(query("limit", "5"), "limit", 10)).isEqualTo(5);
		assertThat(QueryKeys.integer(query(), "limit", 10)).isEqualTo(10);
	}

	private static MultiValueMap<String, String> query(String... pairs) {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			query.add(pairs[i], pairs[i + 1]);
		}
		return query;
	}

}
