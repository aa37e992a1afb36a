package io.dicomflow.cli.elements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Figures of the brief's files are checked against expected/elements/*.expected.tsv, computed
 * by the Python script beside them (exact fractions), not by the code under test.
 */
class ElementsCommandTest {

    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\S+Z (INFO|WARN) \\[([\\w-]+)] (.*)");

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"sample-03-00-json", "sample-04-json"})
    void briefsElementFilesMatchIndependentFigures(String name) {
        List<String[]> expected = CliRun.resourceLines("expected/elements/" + name + ".expected.tsv").stream()
                .skip(1).map(line -> line.split("\t")).toList();

        CliRun run = CliRun.of("elements", Corpus.copy("seed", name + ".json", temp).toString(), "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("processed").asInt()).isEqualTo(expected.size());
        assertThat(result.get("skipped").asInt()).isZero();
        JsonNode elements = result.get("elements");
        assertThat(elements).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] want = expected.get(i);
            JsonNode element = elements.get(i);
            assertThat(element.get("status").asString()).isEqualTo("processed");
            assertThat(element.get("key").asString()).isEqualTo(want[0]);
            assertThat(element.get("id").asString()).isEqualTo(want[1]);
            assertThat(element.get("deviceName").asString()).isEqualTo(want[2]);
            assertThat(element.get("size").asLong()).isEqualTo(Long.parseLong(want[3]));
            assertThat(element.get("min").asLong()).isEqualTo(Long.parseLong(want[4]));
            assertThat(element.get("max").asLong()).isEqualTo(Long.parseLong(want[5]));
            assertThat(element.get("average").asDouble()).as("average of %s", want[1])
                    .isCloseTo(Double.parseDouble(want[6]), within(1e-12));
            assertThat(element.get("averageAfterNormalization").asDouble()).as("normalized average of %s", want[1])
                    .isCloseTo(Double.parseDouble(want[7]), within(1e-12));
        }
    }

    @Test
    void textOutputShowsAveragesPerElementId() {
        CliRun run = CliRun.of("elements", Corpus.copy("seed", "sample-03-00-json.json", temp).toString(),
                "--threads", "2");

        assertThat(run.out())
                .contains("2 elements, 2 processed, 0 skipped (2 threads)")
                // 1534/30 and 1534/30/96; 1581/30 and 1581/30/96 (expected/elements/sample-03-00-json.expected.tsv)
                .containsPattern("1 +aabbcc1 +CT SCAN +30 +51\\.13333333 +0\\.5326388889 +element-worker-\\d")
                .containsPattern("2 +aabbcc2 +CT SCAN +30 +52\\.7 +0\\.5489583333 +element-worker-\\d");
    }

    @Test
    void malformedElementIsReportedAndSkippedWhileTheOthersAreProcessed() throws IOException {
        Path file = write("""
                {"1": {"id": "ok1", "data": ["1 2 3", "4"], "deviceName": "CT SCAN"},
                 "2": {"id": "bad", "data": ["5 x6 7"], "deviceName": "MRI"},
                 "3": {"id": "ok3", "data": ["10 20"], "deviceName": "RX 1"}}
                """);
        Path log = temp.resolve("run.log");

        CliRun run = CliRun.of("elements", file.toString(), "--log", log.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("3 elements, 2 processed, 1 skipped")
                .containsPattern("1 +ok1 +CT SCAN +4 +2\\.5 +0\\.625")
                .contains("2      bad          SKIPPED: data[0]: 'x6' is not an integer")
                .containsPattern("3 +ok3 +RX 1 +2 +15 +0\\.75");
        assertThat(Files.readString(log)).contains("WARN [element-worker-").contains("skipped key=2 id=bad: data[0]: 'x6'");
    }

    @Test
    void byDefaultEveryThreadLogsOneLinePerElementBesideTheInput() throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int i = 1; i <= 40; i++) {
            json.append(i == 1 ? "" : ",").append("\"").append(i).append("\": {\"id\": \"e").append(i)
                    .append("\", \"data\": [\"1 2 3 ").append(i).append("\"]}");
        }
        Path file = write(json.append("}").toString());
        Path log = file.resolveSibling(file.getFileName() + ".log");

        CliRun run = CliRun.of("elements", file.toString(), "--threads", "4");

        assertThat(run.exitCode()).isZero();
        List<String> lines = Files.readAllLines(log);
        Pattern processed = Pattern.compile("\\S+ INFO \\[(element-worker-\\d+)] processed key=(\\d+) id=e\\2 .*");
        Set<String> keys = new HashSet<>();
        Set<String> threads = new HashSet<>();
        for (String line : lines) {
            Matcher matcher = processed.matcher(line);
            if (matcher.matches()) {
                threads.add(matcher.group(1));
                assertThat(keys.add(matcher.group(2))).as("one line per element: %s", line).isTrue();
            }
        }
        assertThat(keys).hasSize(40);
        assertThat(threads).isNotEmpty().allMatch(thread -> thread.startsWith("element-worker-"));
        assertThat(lines.get(0)).contains("reading " + file + " with 4 threads");

        Path quiet = write("{\"1\": {\"id\": \"q\", \"data\": [\"1\"]}}");
        assertThat(CliRun.of("elements", quiet.toString(), "--no-log").exitCode()).isZero();
        assertThat(quiet.resolveSibling(quiet.getFileName() + ".log")).doesNotExist();
        assertThat(CliRun.of("elements", quiet.toString(), "--no-log", "--log", log.toString()).exitCode())
                .isEqualTo(2);

        // a folder the default log cannot be written to: one line saying how to choose another
        Path readOnly = Files.createDirectories(temp.resolve("read-only"));
        Path input = Files.copy(quiet, readOnly.resolve("in.json"));
        Files.createDirectory(readOnly.resolve("in.json.log"));
        CliRun blocked = CliRun.of("elements", input.toString());
        assertThat(blocked.exitCode()).isEqualTo(2);
        assertThat(blocked.err().lines()).singleElement().asString()
                .startsWith("dicomflow elements: cannot write log file " + readOnly.resolve("in.json.log"))
                .endsWith("(choose one with --log FILE, or --no-log)");
    }

    @Test
    void everyKindOfMalformationHasItsReason() throws IOException {
        Path file = write("""
                {"a": {"data": ["1"]},
                 "b": {"id": "b", "data": "1 2"},
                 "c": {"id": "c", "data": [1, 2]},
                 "d": {"id": "d", "data": ["   ", ""]},
                 "e": [1, 2],
                 "f": {"id": "f", "data": ["99999999999999999999"]},
                 "g": {"id": "g", "data": ["-1 -3"], "deviceName": 7},
                 "h": {"id": "h", "data": ["-2 -4"]}}
                """);

        JsonNode result = CliRun.of("elements", file.toString(), "--json").json();

        Map<String, String> reasons = new HashMap<>();
        result.get("elements").forEach(e -> reasons.put(e.get("key").asString(),
                e.has("reason") ? e.get("reason").asString() : "processed"));
        assertThat(reasons).containsEntry("a", "'id' is missing")
                .containsEntry("b", "'data' is missing or not an array")
                .containsEntry("c", "data[0] is not a string")
                .containsEntry("d", "'data' holds no values")
                .containsEntry("e", "not an object")
                .containsEntry("f", "data[0]: '99999999999999999999' is not an integer")
                .containsEntry("g", "'deviceName' is not a string")
                .containsEntry("h", "processed");
        JsonNode h = result.get("elements").get(7);
        assertThat(h.get("deviceName").isNull()).isTrue();
        assertThat(h.get("average").asDouble()).isEqualTo(-3.0);
    }

    /**
     * Like the brief's lost sample-03-01 file: 20 elements of 250 000 values in 0..100, here made
     * with a fixed seed. The expected figures are summed by the test itself with BigInteger.
     */
    @Test
    void largeElementsOnEightThreadsWithOneConsistentLog() throws IOException {
        int elements = 20;
        int valuesPerElement = 250_000;
        Random random = new Random(20240830);
        Path file = temp.resolve("large.json");
        Map<String, double[]> expected = new HashMap<>();
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("{");
            for (int e = 1; e <= elements; e++) {
                BigInteger sum = BigInteger.ZERO;
                int max = 0;
                writer.write((e > 1 ? "," : "") + "\n\"" + e + "\": {\"id\": \"aabbcc" + e + "\", \"data\": [");
                for (int row = 0; row < 500; row++) {
                    StringBuilder line = new StringBuilder();
                    for (int v = 0; v < valuesPerElement / 500; v++) {
                        int value = random.nextInt(101);
                        sum = sum.add(BigInteger.valueOf(value));
                        max = Math.max(max, value);
                        line.append(v == 0 ? "" : " ").append(value);
                    }
                    writer.write((row > 0 ? ", " : "") + "\"" + line + "\"");
                }
                writer.write("], \"deviceName\": \"CT SCAN\"}");
                double average = sum.doubleValue() / valuesPerElement;
                expected.put("aabbcc" + e, new double[] {average, average / max});
            }
            writer.write("}\n");
        }
        Path log = temp.resolve("large.log");

        CliRun run = CliRun.of("elements", file.toString(), "--threads", "8", "--log", log.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("processed").asInt()).isEqualTo(elements);
        for (JsonNode element : result.get("elements")) {
            double[] want = expected.get(element.get("id").asString());
            assertThat(element.get("size").asLong()).isEqualTo(valuesPerElement);
            assertThat(element.get("average").asDouble()).isCloseTo(want[0], within(1e-9));
            assertThat(element.get("averageAfterNormalization").asDouble()).isCloseTo(want[1], within(1e-9));
        }

        // The log: whole lines only (no interleaving), one "processed" line per element, from the workers.
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(elements + 2);
        Set<String> loggedKeys = new HashSet<>();
        for (String line : lines) {
            Matcher matcher = LOG_LINE.matcher(line);
            assertThat(matcher.matches()).as("log line: %s", line).isTrue();
            if (matcher.group(3).startsWith("processed ")) {
                assertThat(matcher.group(2)).matches("element-worker-[1-8]");
                assertThat(loggedKeys.add(matcher.group(3).split(" ")[1])).isTrue();
            }
        }
        assertThat(loggedKeys).hasSize(elements);
    }

    @Test
    void syntaxErrorStillReportsTheElementsReadBeforeIt() throws IOException {
        Path file = write("""
                {"1": {"id": "first", "data": ["1 2"], "deviceName": "MRI"},
                 "2": {"id": "broken", "data": ["3"] "deviceName": "MRI"}}
                """);

        CliRun run = CliRun.of("elements", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).containsPattern("1 +first +MRI +2 +1\\.5");
        assertThat(run.err()).contains("invalid JSON:").contains("(line 2,");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void invalidInputs() throws IOException {
        Path array = write("[{\"id\": \"x\", \"data\": [\"1\"]}]");

        CliRun notAnObject = CliRun.of("elements", array.toString());
        CliRun missing = CliRun.of("elements", temp.resolve("none.json").toString());
        CliRun zeroThreads = CliRun.of("elements", array.toString(), "--threads", "0");
        CliRun badLog = CliRun.of("elements", Corpus.copy("seed", "sample-03-00-json.json", temp).toString(),
                "--log", temp.resolve("no/such/dir/x.log").toString());

        assertThat(notAnObject.exitCode()).isEqualTo(2);
        assertThat(notAnObject.err()).contains("the top level must be a JSON object");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("dicomflow elements: no such file:");
        assertThat(zeroThreads.exitCode()).isEqualTo(2);
        assertThat(zeroThreads.err()).contains("--threads must be between 1 and 256, got 0");
        assertThat(badLog.exitCode()).isEqualTo(2);
        assertThat(badLog.err()).contains("cannot write log file");
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(temp, "elements", ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }
}
