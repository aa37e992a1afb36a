package io.dicomflow.cli.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import io.dicomflow.cli.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The brief's CSV comes from common's test-jar (corpus/seed). Expected figures come from
 * src/test/resources/expected/csv/*.expected.json,
 * computed by the Python script beside them (csv module + statistics.pstdev), not by this code.
 */
class CsvStatsCommandTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"seed/sample-01-csv.csv", "csv/tricky.csv"})
    void matchesIndependentlyComputedFigures(String resource) {
        String stem = resource.substring(resource.indexOf('/') + 1, resource.lastIndexOf('.'));
        JsonNode expected = Json.mapper().readTree(CliRun.resourceBytes("expected/csv/" + stem + ".expected.json"));

        Path file = resource.startsWith("seed/")
                ? Corpus.copy("seed", resource.substring("seed/".length()), temp)
                : CliRun.resource(resource);

        CliRun run = CliRun.of("csv-stats", file.toString(), "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode actual = run.json();
        assertThat(texts(actual.get("columns"))).isEqualTo(texts(expected.get("columns")));
        assertThat(actual.get("rows").asLong()).isEqualTo(expected.get("rows").asLong());
        List<String> skipped = new ArrayList<>();
        actual.get("skipped").forEach(s -> skipped.add(s.get("column").asString()));
        assertThat(skipped).isEqualTo(texts(expected.get("skipped")));

        List<String> numericNames = new ArrayList<>();
        for (JsonNode column : actual.get("numeric")) {
            String name = column.get("column").asString();
            numericNames.add(name);
            JsonNode want = expected.get("numeric").get(name);
            assertThat(want).as("column %s expected numeric", name).isNotNull();
            assertThat(column.get("count").asLong()).isEqualTo(want.get("count").asLong());
            assertThat(column.get("missing").asLong()).isEqualTo(want.get("missing").asLong());
            for (String figure : List.of("mean", "std", "min", "max")) {
                assertThat(column.get(figure).asDouble()).as("%s of %s", figure, name)
                        .isCloseTo(want.get(figure).asDouble(), within(1e-9));
            }
        }
        assertThat(numericNames).containsExactlyElementsOf(expected.get("numeric").propertyNames());
    }

    @Test
    void textOutputOfTheBriefsSample() {
        CliRun run = CliRun.of("csv-stats", Corpus.copy("seed", "sample-01-csv.csv", temp).toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Columns (6): PatientID, Age, Weight, Height, Cholesterol, HeartRate")
                .contains("Rows: 52")
                // Values rounded to 10 significant digits from expected/csv/sample-01-csv.expected.json
                .containsPattern("Age +52 +0 +31\\.07692308 +7\\.334969335 +22 +45")
                .containsPattern("HeartRate +52 +0 +87\\.59615385 +15\\.98107007 +65 +120")
                .contains("PatientID: not numeric: 'ab1' on line 2");
    }

    @Test
    void emptyColumnsAndMultiLineFieldsAreReported() {
        CliRun run = CliRun.of("csv-stats", CliRun.resource("csv/tricky.csv").toString());

        assertThat(run.out())
                .contains("Columns (6): id, Full Name, Dose mg, score, Comment, Empty")
                .contains("Full Name: not numeric: 'Doe, John' on line 2")
                .contains("Empty: no values (every cell is empty)");
    }

    @Test
    void raggedRowsAreCountedAndPaddedWithMissingCells() throws IOException {
        Path file = write("a,b,c\n1,2,3\n4,5\n7,8,9,10\n");

        JsonNode stats = CliRun.of("csv-stats", file.toString(), "--json").json();

        assertThat(stats.get("rows").asLong()).isEqualTo(3);
        assertThat(stats.get("raggedRows").asLong()).isEqualTo(2);
        assertThat(stats.get("firstRaggedLine").asLong()).isEqualTo(3);
        JsonNode c = stats.get("numeric").get(2);
        assertThat(c.get("column").asString()).isEqualTo("c");
        assertThat(c.get("count").asLong()).isEqualTo(2);
        assertThat(c.get("missing").asLong()).isEqualTo(1);
        assertThat(c.get("mean").asDouble()).isEqualTo(6.0);
        assertThat(c.get("std").asDouble()).isEqualTo(3.0);
    }

    @Test
    void otherDelimiter() throws IOException {
        Path file = write("x;y\n1;a\n3;b\n");

        JsonNode stats = CliRun.of("csv-stats", file.toString(), "-d", ";", "--json").json();

        assertThat(stats.get("numeric").get(0).get("mean").asDouble()).isEqualTo(2.0);
        assertThat(stats.get("skipped").get(0).get("column").asString()).isEqualTo("y");
    }

    @Test
    void unclosedQuoteIsInvalidInputNamingTheLine() throws IOException {
        Path file = write("a,b\n1,2\n3,\"oops\n4,5\n");

        CliRun run = CliRun.of("csv-stats", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("line 3: quoted field is never closed");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        Path empty = write("");
        Path binary = temp.resolve("binary.bin");
        Files.write(binary, new byte[] {1, 2, 0, 3});

        assertThat(CliRun.of("csv-stats", temp.resolve("missing.csv").toString()))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).startsWith("dicomflow csv-stats: no such file:"));
        assertThat(CliRun.of("csv-stats", empty.toString()).err()).contains("empty file, no header row");
        assertThat(CliRun.of("csv-stats", binary.toString()).err()).contains("not a text file");
        assertThat(CliRun.of("csv-stats", temp.toString()).err()).contains("is a folder");
        assertThat(CliRun.of("csv-stats", empty.toString(), "-d", "ab").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("csv-stats", empty.toString(), "--charset", "NOPE").exitCode()).isEqualTo(2);
    }

    /**
     * Streaming: a 1.5-million-row file (about 30 MB of text) is read by a separate JVM whose heap
     * is capped at 16 MB. Expected figures are closed forms: i = 1..n has mean (n+1)/2 and
     * population variance (n^2-1)/12; i mod 10 over whole decades has mean 4.5, variance 8.25.
     */
    @Test
    void fileLargerThanTheHeapIsStreamed() throws Exception {
        int n = 1_500_000;
        Path big = temp.resolve("big.csv");
        try (BufferedWriter writer = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            writer.write("i,digit,label\n");
            for (int i = 1; i <= n; i++) {
                writer.write(i + "," + (i % 10) + ",row" + i + "\n");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx16m", "-cp", System.getProperty("java.class.path"),
                "io.dicomflow.cli.DicomflowCli", "csv-stats", big.toString(), "--json")
                .redirectErrorStream(false)
                .start();
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();

        JsonNode stats = Json.mapper().readTree(stdout);
        assertThat(Files.size(big)).isGreaterThan(16L * 1024 * 1024);
        assertThat(stats.get("rows").asLong()).isEqualTo(n);
        JsonNode i = stats.get("numeric").get(0);
        assertThat(i.get("mean").asDouble()).isCloseTo((n + 1) / 2.0, within(1e-6));
        assertThat(i.get("std").asDouble()).isCloseTo(Math.sqrt(((double) n * n - 1) / 12), within(1e-6));
        JsonNode digit = stats.get("numeric").get(1);
        assertThat(digit.get("mean").asDouble()).isCloseTo(4.5, within(1e-9));
        assertThat(digit.get("std").asDouble()).isCloseTo(Math.sqrt(8.25), within(1e-9));
        assertThat(stats.get("skipped").get(0).get("column").asString()).isEqualTo("label");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(temp, "test", ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
