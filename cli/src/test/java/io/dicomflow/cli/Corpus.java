package io.dicomflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.dicomflow.cli.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * The DICOM corpus and seed files published by common's test-jar ({@code corpus/dicom/...},
 * {@code corpus/seed/...} on the test classpath), with their reference.jsonl facts. Files are
 * copied to a folder first because the CLI works on paths and the test-jar may be a real jar.
 */
public final class Corpus {

    private Corpus() {
    }

    /** Copies {@code corpus/<folder>/<name>} into {@code target} and returns the copy. */
    public static Path copy(String folder, String name, Path target) {
        try (InputStream in = resource(folder + "/" + name)) {
            Path file = target.resolve(name);
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code corpus/<folder>/<name>} to the file {@code target} (any name). */
    public static Path copyAs(String folder, String name, Path target) {
        try (InputStream in = resource(folder + "/" + name)) {
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference.jsonl records of {@code corpus/<folder>}, by file name. */
    public static Map<String, JsonNode> reference(String folder) {
        Map<String, JsonNode> records = new HashMap<>();
        try (InputStream in = resource(folder + "/reference.jsonl")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                    .map(line -> Json.mapper().readTree(line))
                    .forEach(record -> records.put(record.get("file").asString(), record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    private static InputStream resource(String path) {
        InputStream in = Corpus.class.getResourceAsStream("/corpus/" + path);
        if (in == null) {
            throw new IllegalStateException("corpus/" + path + " is not on the test classpath (common's test-jar)");
        }
        return in;
    }
}
