package io.dicomflow.upload.dicomweb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * QIDO-RS (PS3.18 10.6) over {@code dicomweb_instance}: studies, a study's series, and a series' (or study's)
 * instances, each result in the DICOM JSON model with its Retrieve URL. A study matches when any of its visible
 * instances matches; its counts and modalities are then those of all its visible instances. Results are ordered
 * (newest study date first, then by UID) so that limit/offset pages are stable.
 */
@RestController
class QidoController {

	private static final List<String> STUDY_KEYS = List.of("StudyInstanceUID", "PatientID", "PatientName", "StudyDate",
			"AccessionNumber", "StudyID", "StudyDescription", "ReferringPhysicianName", "Modality",
			"ModalitiesInStudy");

	private static final List<String> SERIES_KEYS = List.of("SeriesInstanceUID", "Modality", "SeriesNumber");

	private static final List<String> INSTANCE_KEYS = List.of("SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID",
			"InstanceNumber");

	/** The instances the caller may see, each SOP Instance once (an admin sees every owner's copies). */
	private static final String VISIBLE = """
			with visible as (
			    select distinct on (sop_instance_uid) * from dicomweb_instance
			    where (:admin or owner = :owner)
			    order by sop_instance_uid, stored_at)
			""";

	private final NamedParameterJdbcTemplate jdbc;

	private final DicomwebProperties properties;

	QidoController(NamedParameterJdbcTemplate jdbc, DicomwebProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	@GetMapping(path = "/dicomweb/studies", produces = { "application/dicom+json", "application/json" })
	@Transactional(readOnly = true)
	ResponseEntity<List<Map<String, Object>>> studies(@RequestParam MultiValueMap<String, String> query,
			HttpServletRequest request) {
		MapSqlParameterSource params = visibleTo(Caller.reader(request));
		List<String> conditions = QueryKeys.conditions(query, STUDY_KEYS, params);
		String sql = VISIBLE + """
				, matched as (select distinct study_instance_uid from visible %s)
				select study_instance_uid, min(patient_id) patient_id, min(patient_name) patient_name,
				    min(patient_birth_date) patient_birth_date, min(patient_sex) patient_sex, min(study_date) study_date,
				    min(study_time) study_time, min(accession_number) accession_number,
				    min(referring_physician) referring_physician, min(study_id) study_id,
				    min(study_description) study_description,
				    array_to_string(array_agg(distinct modality) filter (where modality is not null), '\\') modalities,
				    count(distinct series_instance_uid) series_count, count(*) instance_count
				from visible where study_instance_uid in (select study_instance_uid from matched)
				group by study_instance_uid
				order by min(study_date) desc nulls last, study_instance_uid
				limit :limit offset :offset
				""".formatted(where(conditions));
		String base = StowController.baseUrl(request);
		return ok(this.jdbc.query(sql, page(query, params), (rs, i) -> study(rs, base)));
	}

	@GetMapping(path = "/dicomweb/studies/{study}/series", produces = { "application/dicom+json", "application/json" })
	@Transactional(readOnly = true)
	ResponseEntity<List<Map<String, Object>>> series(@PathVariable String study,
			@RequestParam MultiValueMap<String, String> query, HttpServletRequest request) {
		MapSqlParameterSource params = visibleTo(Caller.reader(request)).addValue("study", study);
		List<String> conditions = new ArrayList<>(QueryKeys.conditions(query, SERIES_KEYS, params));
		conditions.add(0, "study_instance_uid = :study");
		String sql = VISIBLE + """
				, matched as (select distinct series_instance_uid from visible %s)
				select study_instance_uid, series_instance_uid, min(modality) modality, min(series_number) series_number,
				    min(series_description) series_description, count(*) instance_count
				from visible
				where study_instance_uid = :study and series_instance_uid in (select series_instance_uid from matched)
				group by study_instance_uid, series_instance_uid
				order by min(series_number) nulls last, series_instance_uid
				limit :limit offset :offset
				""".formatted(where(conditions));
		String base = StowController.baseUrl(request);
		return ok(this.jdbc.query(sql, page(query, params), (rs, i) -> series(rs, base)));
	}

	@GetMapping(path = { "/dicomweb/studies/{study}/series/{series}/instances", "/dicomweb/studies/{study}/instances" },
			produces = { "application/dicom+json", "application/json" })
	@Transactional(readOnly = true)
	ResponseEntity<List<Map<String, Object>>> instances(@PathVariable String study,
			@PathVariable(required = false) String series, @RequestParam MultiValueMap<String, String> query,
			HttpServletRequest request) {
		MapSqlParameterSource params = visibleTo(Caller.reader(request)).addValue("study", study);
		List<String> conditions = new ArrayList<>(QueryKeys.conditions(query, INSTANCE_KEYS, params));
		conditions.add(0, "study_instance_uid = :study");
		if (series != null) {
			params.addValue("series", series);
			conditions.add(1, "series_instance_uid = :series");
		}
		String sql = VISIBLE + """
				select * from visible %s
				order by series_instance_uid, instance_number nulls last, sop_instance_uid
				limit :limit offset :offset
				""".formatted(where(conditions));
		String base = StowController.baseUrl(request);
		return ok(this.jdbc.query(sql, page(query, params), (rs, i) -> instance(rs, base)));
	}

	private static MapSqlParameterSource visibleTo(Caller caller) {
		return new MapSqlParameterSource().addValue("admin", caller.admin()).addValue("owner", caller.owner());
	}

	private MapSqlParameterSource page(MultiValueMap<String, String> query, MapSqlParameterSource params) {
		int limit = Math.min(QueryKeys.integer(query, "limit", this.properties.defaultLimit()),
				this.properties.maxLimit());
		return params.addValue("limit", limit).addValue("offset", QueryKeys.integer(query, "offset", 0));
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? "" : "where " + String.join(" and ", conditions);
	}

	private static ResponseEntity<List<Map<String, Object>>> ok(List<Map<String, Object>> results) {
		return ResponseEntity.ok().contentType(StowController.DICOM_JSON).body(results);
	}

	private static Map<String, Object> study(ResultSet rs, String base) throws SQLException {
		String uid = rs.getString("study_instance_uid");
		String modalities = rs.getString("modalities");
		return DicomJson.object()
			.string(0x00080020, "DA", rs.getString("study_date"))
			.string(0x00080030, "TM", rs.getString("study_time"))
			.string(0x00080050, "SH", rs.getString("accession_number"))
			.strings(0x00080061, "CS", (modalities == null || modalities.isEmpty()) ? null : List.of(modalities.split("\\\\")))
			.personName(0x00080090, rs.getString("referring_physician"))
			.string(0x00081030, "LO", rs.getString("study_description"))
			.string(0x00081190, "UR", base + "/studies/" + uid)
			.personName(0x00100010, rs.getString("patient_name"))
			.string(0x00100020, "LO", rs.getString("patient_id"))
			.string(0x00100030, "DA", rs.getString("patient_birth_date"))
			.string(0x00100040, "CS", rs.getString("patient_sex"))
			.string(0x0020000D, "UI", uid)
			.string(0x00200010, "SH", rs.getString("study_id"))
			.number(0x00201206, "IS", rs.getLong("series_count"))
			.number(0x00201208, "IS", rs.getLong("instance_count"))
			.toMap();
	}

	private static Map<String, Object> series(ResultSet rs, String base) throws SQLException {
		String study = rs.getString("study_instance_uid");
		String uid = rs.getString("series_instance_uid");
		return DicomJson.object()
			.string(0x00080060, "CS", rs.getString("modality"))
			.string(0x0008103E, "LO", rs.getString("series_description"))
			.string(0x00081190, "UR", base + "/studies/" + study + "/series/" + uid)
			.string(0x0020000D, "UI", study)
			.string(0x0020000E, "UI", uid)
			.number(0x00200011, "IS", (Integer) rs.getObject("series_number"))
			.number(0x00201209, "IS", rs.getLong("instance_count"))
			.toMap();
	}

	private static Map<String, Object> instance(ResultSet rs, String base) throws SQLException {
		String study = rs.getString("study_instance_uid");
		String series = rs.getString("series_instance_uid");
		String uid = rs.getString("sop_instance_uid");
		return DicomJson.object()
			.string(0x00080016, "UI", rs.getString("sop_class_uid"))
			.string(0x00080018, "UI", uid)
			.string(0x00080060, "CS", rs.getString("modality"))
			.string(0x00083002, "UI", rs.getString("transfer_syntax_uid"))
			.string(0x00081190, "UR", base + "/studies/" + study + "/series/" + series + "/instances/" + uid)
			.string(0x0020000D, "UI", study)
			.string(0x0020000E, "UI", series)
			.number(0x00200011, "IS", (Integer) rs.getObject("series_number"))
			.number(0x00200013, "IS", (Integer) rs.getObject("instance_number"))
			.number(0x00280008, "IS", (Integer) rs.getObject("number_of_frames"))
			.number(0x00280010, "US", (Integer) rs.getObject("image_rows"))
			.number(0x00280011, "US", (Integer) rs.getObject("image_columns"))
			.toMap();
	}

}
