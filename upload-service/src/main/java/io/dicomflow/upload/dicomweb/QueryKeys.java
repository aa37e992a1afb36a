package io.dicomflow.upload.dicomweb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.util.MultiValueMap;

/**
 * The QIDO-RS matching keys dicomflow supports (PS3.18 8.3.4), turned into SQL conditions on the columns of
 * {@code dicomweb_instance} or of a level's aggregate. A key may be given by keyword or by tag
 * ({@code PatientID} or {@code 00100020}). Other query parameters are ignored, as PS3.18 allows.
 */
final class QueryKeys {

	static final java.net.URI BAD_QUERY = java.net.URI.create("https://dicomflow.io/problems/bad-query");

	private enum Matching {

		/** Single value, {@code *} and {@code ?} wildcards (PS3.4 C.2.2.2.4). */
		TEXT,
		/** Like TEXT, but case-insensitive (names are often typed in another case). */
		NAME,
		/** A list of UIDs separated by commas or backslashes (PS3.18 8.3.4.1). */
		UID_LIST,
		/** {@code YYYYMMDD}, {@code A-B}, {@code -B} or {@code A-} (PS3.4 C.2.2.2.5). */
		DATE_RANGE,
		/** A whole number. */
		INTEGER

	}

	private record Key(String keyword, String tag, String column, Matching matching) {
	}

	private static final List<Key> KEYS = List.of(new Key("StudyInstanceUID", "0020000D", "study_instance_uid", Matching.UID_LIST),
			new Key("PatientID", "00100020", "patient_id", Matching.TEXT),
			new Key("PatientName", "00100010", "patient_name", Matching.NAME),
			new Key("StudyDate", "00080020", "study_date", Matching.DATE_RANGE),
			new Key("AccessionNumber", "00080050", "accession_number", Matching.TEXT),
			new Key("StudyID", "00200010", "study_id", Matching.TEXT),
			new Key("StudyDescription", "00081030", "study_description", Matching.NAME),
			new Key("ReferringPhysicianName", "00080090", "referring_physician", Matching.NAME),
			new Key("Modality", "00080060", "modality", Matching.TEXT),
			new Key("ModalitiesInStudy", "00080061", "modality", Matching.TEXT),
			new Key("SeriesInstanceUID", "0020000E", "series_instance_uid", Matching.UID_LIST),
			new Key("SeriesNumber", "00200011", "series_number", Matching.INTEGER),
			new Key("SOPInstanceUID", "00080018", "sop_instance_uid", Matching.UID_LIST),
			new Key("SOPClassUID", "00080016", "sop_class_uid", Matching.UID_LIST),
			new Key("InstanceNumber", "00200013", "instance_number", Matching.INTEGER));

	private static final Pattern DATE = Pattern.compile("\\d{8}");

	private QueryKeys() {
	}

	/**
	 * SQL conditions (joined with {@code and}) for the supported keys present in {@code query}, on rows of
	 * {@code dicomweb_instance}; parameters go into {@code params}.
	 * @param allowed the keywords that may be used at this level
	 * @throws org.springframework.web.ErrorResponseException 400 for a value that cannot be matched
	 */
	static List<String> conditions(MultiValueMap<String, String> query, List<String> allowed,
			MapSqlParameterSource params) {
		List<String> conditions = new ArrayList<>();
		for (Map.Entry<String, List<String>> entry : query.entrySet()) {
			Key key = find(entry.getKey());
			if (key == null || !allowed.contains(key.keyword())) {
				continue;
			}
			for (String raw : entry.getValue()) {
				String value = (raw == null) ? "" : raw.strip();
				if (value.isEmpty() || value.equals("*")) {
					continue; // universal matching
				}
				String name = "p" + params.getParameterNames().length;
				conditions.add(condition(key, value, name, params));
			}
		}
		return conditions;
	}

	private static Key find(String parameter) {
		for (Key key : KEYS) {
			if (key.keyword().equals(parameter) || key.tag().equalsIgnoreCase(parameter)) {
				return key;
			}
		}
		return null;
	}

	private static String condition(Key key, String value, String name, MapSqlParameterSource params) {
		String column = key.column();
		switch (key.matching()) {
			case UID_LIST: {
				List<String> uids = List.of(value.split("[,\\\\]"));
				params.addValue(name, uids.stream().map(String::strip).toList());
				return column + " in (:" + name + ")";
			}
			case INTEGER:
				try {
					params.addValue(name, Integer.parseInt(value));
				}
				catch (NumberFormatException ex) {
					throw bad(key.keyword() + " must be a whole number");
				}
				return column + " = :" + name;
			case DATE_RANGE:
				return dateRange(key, value, name, params);
			case NAME:
			case TEXT:
			default:
				if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
					params.addValue(name, like(value));
					return column + (key.matching() == Matching.NAME ? " ilike :" : " like :") + name + " escape '\\'";
				}
				params.addValue(name, value);
				return (key.matching() == Matching.NAME) ? "lower(" + column + ") = lower(:" + name + ")"
						: column + " = :" + name;
		}
	}

	private static String dateRange(Key key, String value, String name, MapSqlParameterSource params) {
		int dash = value.indexOf('-');
		String from = (dash < 0) ? value : value.substring(0, dash).strip();
		String to = (dash < 0) ? value : value.substring(dash + 1).strip();
		if ((!from.isEmpty() && !DATE.matcher(from).matches()) || (!to.isEmpty() && !DATE.matcher(to).matches())
				|| (from.isEmpty() && to.isEmpty())) {
			throw bad(key.keyword() + " must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either end may be open)");
		}
		List<String> parts = new ArrayList<>();
		if (!from.isEmpty()) {
			params.addValue(name + "from", from);
			parts.add(key.column() + " >= :" + name + "from");
		}
		if (!to.isEmpty()) {
			params.addValue(name + "to", to);
			parts.add(key.column() + " <= :" + name + "to");
		}
		// a placeholder parameter keeps the numbering of later parameters unique
		params.addValue(name, value);
		return "(" + String.join(" and ", parts) + ")";
	}

	/** DICOM wildcards to a LIKE pattern; LIKE's own special characters are escaped. */
	static String like(String value) {
		StringBuilder out = new StringBuilder();
		for (char c : value.toCharArray()) {
			switch (c) {
				case '*' -> out.append('%');
				case '?' -> out.append('_');
				case '%', '_', '\\' -> out.append('\\').append(c);
				default -> out.append(c);
			}
		}
		return out.toString();
	}

	static int integer(MultiValueMap<String, String> query, String name, int fallback) {
		String value = query.getFirst(name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int parsed = Integer.parseInt(value.strip());
			if (parsed < 0) {
				throw bad(name + " must not be negative");
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw bad(name + " must be a whole number");
		}
	}

	static org.springframework.web.ErrorResponseException bad(String detail) {
		return StowController.problem(HttpStatus.BAD_REQUEST, BAD_QUERY, "Bad query", detail);
	}

}
