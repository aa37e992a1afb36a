package io.dicomflow.cli.support;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON writer every {@code --json} output goes through, so all commands print the same way:
 * one compact JSON document on one line (easy to pipe into jq or to read as JSON Lines).
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Serialises records, maps, lists and scalars; {@code null} map values are kept. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
