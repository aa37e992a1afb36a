package io.dicomflow.cli.elements;

import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON of one element, {@code {"id": "aabbcc1", "data": ["53 26 ...", ...],
 * "deviceName": "CT SCAN"}}, into an {@link Element}. Runs on the worker threads, so the costly
 * part (splitting and parsing the integers) is done in parallel.
 */
public final class ElementParser {

    public Element parse(String key, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MalformedElementException("not an object");
        }
        String id = requiredText(node, "id");
        JsonNode deviceNode = node.get("deviceName");
        String deviceName = null;
        if (deviceNode != null && !deviceNode.isNull()) {
            if (!deviceNode.isString()) {
                throw new MalformedElementException("'deviceName' is not a string");
            }
            deviceName = deviceNode.asString();
        }
        JsonNode data = node.get("data");
        if (data == null || !data.isArray()) {
            throw new MalformedElementException("'data' is missing or not an array");
        }
        return new Element(key, id, deviceName, integers(data));
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedElementException("'" + field + "' is missing");
        }
        if (value.isString() || value.isIntegralNumber()) {
            return value.asString();
        }
        throw new MalformedElementException("'" + field + "' is not a string");
    }

    /** All integers of all data strings; the array is sized once, by a first counting pass. */
    private static long[] integers(JsonNode data) {
        int count = 0;
        for (int row = 0; row < data.size(); row++) {
            JsonNode line = data.get(row);
            if (!line.isString()) {
                throw new MalformedElementException("data[" + row + "] is not a string");
            }
            count += countTokens(line.asString());
        }
        if (count == 0) {
            throw new MalformedElementException("'data' holds no values");
        }
        long[] values = new long[count];
        int next = 0;
        for (int row = 0; row < data.size(); row++) {
            next = parseInto(data.get(row).asString(), row, values, next);
        }
        return values;
    }

    private static int countTokens(String line) {
        int tokens = 0;
        boolean inToken = false;
        for (int i = 0; i < line.length(); i++) {
            boolean space = Character.isWhitespace(line.charAt(i));
            if (!space && !inToken) {
                tokens++;
            }
            inToken = !space;
        }
        return tokens;
    }

    private static int parseInto(String line, int row, long[] values, int next) {
        int i = 0;
        int length = line.length();
        while (i < length) {
            while (i < length && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (start < i) {
                String token = line.substring(start, i);
                try {
                    values[next++] = Long.parseLong(token);
                } catch (NumberFormatException e) {
                    throw new MalformedElementException("data[" + row + "]: '" + abbreviate(token)
                            + "' is not an integer");
                }
            }
        }
        return next;
    }

    private static String abbreviate(String token) {
        return token.length() <= 30 ? token : token.substring(0, 27) + "...";
    }
}
