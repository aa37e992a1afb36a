package io.dicomflow.common.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test corpus copied into the test resources (corpus/dicom and corpus/seed) and its reference.jsonl
 * facts, produced with DCMTK and pydicom (see corpus/dicom/NOTICE.md). Tests read only these copies.
 */
public final class CorpusReference {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One reference line: the file and what the reference tools found in it. */
    public record Entry(String file, Path path, JsonNode json) {
        public JsonNode attributes() {
            return json.path("attributes");
        }

        public JsonNode pixel() {
            return json.path("pixel");
        }

        public boolean pydicomOk() {
            return json.path("pydicom").path("ok").asBoolean(false);
        }

        public boolean pydicomForceOk() {
            return json.path("pydicom").path("force_ok").asBoolean(false);
        }

        public boolean dcmdumpOk() {
            return json.path("dcmdump").path("ok").asBoolean(false);
        }

        /** Neither pydicom (strict) nor dcmdump could read it: the reader must end with its typed error. */
        public boolean unreadable() {
            return !pydicomOk() && !dcmdumpOk();
        }

        public boolean pixelsDecoded() {
            return pixel().path("decoded").asBoolean(false);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private CorpusReference() {
    }

    public static Path folder(String name) {
        URL url = CorpusReference.class.getResource("/corpus/" + name + "/reference.jsonl");
        if (url == null) {
            throw new IllegalStateException("corpus/" + name + " missing from the test resources");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                // another module's build reads the corpus from common's test-jar (reactor verify packages it)
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // opened by an earlier call: Path.of finds it
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Entry> load(String name) {
        Path dir = folder(name);
        try {
            return Files.readAllLines(dir.resolve("reference.jsonl"), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .map(JSON::readTree)
                    .map(j -> new Entry(j.path("file").asString(), dir.resolve(j.path("file").asString()), j))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Entry> dicom() {
        return load("dicom");
    }

    public static List<Entry> seed() {
        return load("seed");
    }
}
