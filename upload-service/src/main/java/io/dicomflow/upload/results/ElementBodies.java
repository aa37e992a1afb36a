package io.dicomflow.upload.results;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dicomflow.common.analysis.NumericAnalysis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Reads the two POST bodies of the brief: a single element ({@code id}, {@code data}, {@code device_name},
 * {@code raw_data}) and the sample files' batch ({@code {"1": {"id", "data", "deviceName"}, ...}}), and
 * computes each element's figures with {@link NumericAnalysis}.
 */
@Component
class ElementBodies {

	static final int MAX_ID_LENGTH = 200;

	private final JsonMapper json;

	private final ElementsProperties properties;

	ElementBodies(JsonMapper json, ElementsProperties properties) {
		this.json = json;
		this.properties = properties;
	}

	/** A body with a top-level {@code data} or {@code id} is a single element; any other object a batch. */
	static boolean isSingle(JsonNode body) {
		return body.has("data") || body.has("id");
	}

	List<NewElement> parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ElementProblems.invalid("the body must be a JSON object: one element or a batch", Map.of());
		}
		if (isSingle(body)) {
			return List.of(single(body));
		}
		if (body.isEmpty()) {
			throw ElementProblems.invalid("the batch has no elements", Map.of());
		}
		if (body.size() > this.properties.maxBatch()) {
			throw ElementProblems.invalid("a batch holds at most " + this.properties.maxBatch() + " elements",
					Map.of());
		}
		List<NewElement> elements = new ArrayList<>();
		Map<String, String> keyById = new HashMap<>();
		for (Map.Entry<String, JsonNode> entry : body.properties()) {
			String key = entry.getKey();
			JsonNode node = entry.getValue();
			if (!node.isObject()) {
				throw ElementProblems.invalid(DataValues.label(key, null) + " is not an object",
						DataValues.where(key, null));
			}
			NewElement element = element(key, node, (ObjectNode) node.deepCopy());
			String earlier = keyById.putIfAbsent(element.id(), key);
			if (earlier != null) {
				throw ElementProblems.duplicate(element.id(), "elements \"" + earlier + "\" and \"" + key
						+ "\" of the batch have the same id \"" + element.id() + "\"");
			}
			elements.add(element);
		}
		return elements;
	}

	private NewElement single(JsonNode body) {
		String id = id(null, body);
		JsonNode raw = body.get("raw_data");
		ObjectNode rawData;
		if (raw == null || raw.isNull()) {
			rawData = this.json.createObjectNode();
			rawData.put("id", id);
			rawData.set("data", body.path("data").deepCopy());
			rawData.put("deviceName", deviceName(null, id, body));
		}
		else if (raw.isObject()) {
			rawData = (ObjectNode) raw.deepCopy();
		}
		else {
			throw ElementProblems.invalid(DataValues.label(null, id) + ": raw_data must be an object",
					DataValues.where(null, id));
		}
		NewElement element = element(null, body, rawData);
		// raw_data repeats id and deviceName in the brief; a body where they disagree is refused, not guessed
		consistent(element, rawData, "id", element.id());
		consistent(element, rawData, "deviceName", element.deviceName());
		return element;
	}

	private NewElement element(String key, JsonNode node, ObjectNode rawData) {
		String id = id(key, node);
		String deviceName = deviceName(key, id, node);
		long[] values = DataValues.parse(key, id, node.get("data"), this.properties.maxValues());
		return new NewElement(key, id, deviceName, rawData, NumericAnalysis.of(values));
	}

	private static String id(String key, JsonNode node) {
		JsonNode id = node.get("id");
		if (id == null || !id.isString() || id.asString().isBlank()) {
			throw ElementProblems.invalid(DataValues.label(key, null) + ": id must be a non-empty string",
					DataValues.where(key, null));
		}
		String value = id.asString();
		if (value.length() > MAX_ID_LENGTH || value.contains("/")) {
			throw ElementProblems.invalid(DataValues.label(key, null) + ": id must have at most " + MAX_ID_LENGTH
					+ " characters and no '/'", DataValues.where(key, null));
		}
		return value;
	}

	/** {@code device_name} (the single body) or {@code deviceName} (the sample files); empty when absent. */
	private static String deviceName(String key, String id, JsonNode node) {
		JsonNode name = node.has("device_name") ? node.get("device_name") : node.get("deviceName");
		if (name == null || name.isNull()) {
			return "";
		}
		if (!name.isString()) {
			throw ElementProblems.invalid(DataValues.label(key, id) + ": device_name must be a string",
					DataValues.where(key, id));
		}
		return name.asString();
	}

	private static void consistent(NewElement element, ObjectNode rawData, String field, String expected) {
		JsonNode value = rawData.get(field);
		if (value != null && !(value.isString() && value.asString().equals(expected))) {
			throw ElementProblems.invalid(element.label() + ": raw_data." + field + " differs from the element's "
					+ ("id".equals(field) ? "id" : "device_name"), DataValues.where(element.key(), element.id()));
		}
	}

}
