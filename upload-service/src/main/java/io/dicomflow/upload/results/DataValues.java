package io.dicomflow.upload.results;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The brief's {@code data}: strings of whitespace-separated integers. The lines are one flat list of values
 * (ragged lines are fine); a token that is not an integer, or no value at all, rejects the element.
 */
final class DataValues {

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

	private DataValues() {
	}

	/**
	 * @param key batch key or {@code null}
	 * @param id element id
	 * @param data the {@code data} node (may be missing)
	 * @param maxValues most values accepted
	 */
	static long[] parse(String key, String id, JsonNode data, int maxValues) {
		String label = label(key, id);
		if (data == null || data.isMissingNode() || data.isNull() || (data.isArray() && data.isEmpty())) {
			throw empty(key, id, label + " has no data");
		}
		if (!data.isArray()) {
			throw ElementProblems.invalid(label + ": data must be an array of strings", where(key, id));
		}
		long[] values = new long[64];
		int n = 0;
		for (int line = 0; line < data.size(); line++) {
			JsonNode entry = data.get(line);
			if (!entry.isString()) {
				Map<String, Object> where = where(key, id);
				where.put("line", line + 1);
				throw ElementProblems.invalid(label + ", line " + (line + 1) + ": not a string", where);
			}
			String text = entry.asString().strip();
			if (text.isEmpty()) {
				continue;
			}
			String[] tokens = WHITESPACE.split(text);
			for (int t = 0; t < tokens.length; t++) {
				long value = parseToken(tokens[t], key, id, label, line + 1, t + 1);
				if (n == maxValues) {
					throw ElementProblems.invalid(label + " has more than " + maxValues + " values", where(key, id));
				}
				if (n == values.length) {
					values = Arrays.copyOf(values, Math.min(Math.max(16, n * 2), maxValues));
				}
				values[n++] = value;
			}
		}
		if (n == 0) {
			throw empty(key, id, label + " has no values (every data line is blank)");
		}
		return Arrays.copyOf(values, n);
	}

	private static long parseToken(String token, String key, String id, String label, int line, int index) {
		if (INTEGER.matcher(token).matches()) {
			try {
				return Long.parseLong(token);
			}
			catch (NumberFormatException tooLarge) {
				// falls through to the problem below: a 64-bit integer overflow is a bad number too
			}
		}
		Map<String, Object> where = where(key, id);
		where.put("line", line);
		where.put("token", index);
		where.put("value", token);
		throw ElementProblems.problem(HttpStatus.BAD_REQUEST, ElementProblems.BAD_NUMBER, "Bad number",
				label + ", line " + line + ", token " + index + ": \"" + token + "\" is not an integer", where);
	}

	private static ErrorResponseException empty(String key, String id, String detail) {
		return ElementProblems.problem(HttpStatus.BAD_REQUEST, ElementProblems.EMPTY_DATA, "Empty data", detail,
				where(key, id));
	}

	static String label(String key, String id) {
		if (key == null) {
			return "element \"" + id + "\"";
		}
		return (id == null) ? "element \"" + key + "\"" : "element \"" + key + "\" (id \"" + id + "\")";
	}

	static Map<String, Object> where(String key, String id) {
		Map<String, Object> where = new LinkedHashMap<>();
		if (key != null) {
			where.put("element", key);
		}
		if (id != null) {
			where.put("id", id);
		}
		return where;
	}

}
