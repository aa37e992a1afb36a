package io.dicomflow.cli.elements;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Reads the element file's top-level object one member at a time (streaming), so only the
 * elements waiting for a worker are held in memory, whatever the size of the file.
 */
public final class ElementFileReader {

    /** Reads one member's value from the middle of the stream: the rest of the file must not count as trailing. */
    private static final ObjectReader ELEMENT_READER = Json.mapper().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Calls {@code consumer} with each key and element, in file order.
     *
     * @throws CliException (invalid input) when the file is not JSON or its top level is not an
     *                      object; elements already handed over stay handed over
     */
    public void read(Path file, BiConsumer<String, JsonNode> consumer) throws IOException {
        read(file, Files.newInputStream(file), consumer);
    }

    /** Like {@link #read(Path, BiConsumer)} from an already opened stream of {@code file} (closed here). */
    public void read(Path file, InputStream stream, BiConsumer<String, JsonNode> consumer) throws IOException {
        try (InputStream in = stream;
             JsonParser parser = Json.mapper().createParser(in)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw CliException.invalidInput(file + ": not an element file: the top level must be a JSON object "
                        + "{\"1\": {\"id\", \"data\", \"deviceName\"}, ...}");
            }
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                JsonNode element = ELEMENT_READER.readValue(parser);
                consumer.accept(key, element);
            }
            if (token != JsonToken.END_OBJECT) {
                throw CliException.invalidInput(file + ": unexpected " + token + " in the top-level object");
            }
        } catch (JacksonException e) {
            throw CliException.invalidInput(file + ": invalid JSON: " + describe(e));
        }
    }

    /** Jackson's message without its multi-line source excerpt, plus line and column. */
    static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }
}
