package io.dicomflow.cli.ls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class LsCommandTest {

    @TempDir
    Path folder;

    @BeforeEach
    void fillFolder() throws IOException {
        // Names deliberately lie about the content: sniffing must ignore them.
        Corpus.copyAs("seed", "sample-01-csv.csv", folder.resolve("patients.txt"));
        Corpus.copyAs("seed", "sample-03-00-json.json", folder.resolve("elements.csv"));
        Files.write(folder.resolve("image.bin"), part10Dicom());
        Files.writeString(folder.resolve("notes.json"), "just some words, not json\nsecond line", StandardCharsets.UTF_8);
        Files.write(folder.resolve("empty.dat"), new byte[0]);
        Path sub = Files.createDirectory(folder.resolve("sub"));
        Corpus.copyAs("seed", "sample-04-json.json", sub.resolve("more.json"));
        Files.write(sub.resolve("bare.dcm"), bareImplicitLittleEndianDicom());
    }

    @Test
    void listsTopLevelEntriesWithSniffedKinds() {
        CliRun run = CliRun.of("ls", folder.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains(": 5 files, 1 folders (DICOM 1, CSV 1, JSON 1, other 2, unreadable 0)");
        assertThat(run.out()).containsPattern("CSV +1211  patients.txt");
        assertThat(run.out()).containsPattern("JSON +472  elements.csv");
        assertThat(run.out()).containsPattern("DICOM +140  image.bin");
        assertThat(run.out()).containsPattern("OTHER +\\d+  notes.json");
        assertThat(run.out()).containsPattern("OTHER +0  empty.dat");
        assertThat(run.out()).containsPattern("FOLDER +-  sub/");
        assertThat(run.out()).doesNotContain("more.json");
    }

    @Test
    void recursiveListingDescendsIntoSubfolders() {
        JsonNode listing = CliRun.of("ls", folder.toString(), "-r", "--json").json();

        assertThat(listing.get("recursive").asBoolean()).isTrue();
        assertThat(listing.get("files").asLong()).isEqualTo(7);
        assertThat(listing.get("folders").asLong()).isEqualTo(1);
        assertThat(listing.get("counts").get("DICOM").asLong()).isEqualTo(2);
        assertThat(listing.get("counts").get("JSON").asLong()).isEqualTo(2);
        assertThat(listing.get("entries")).anySatisfy(e -> {
            assertThat(e.get("path").asString()).isEqualTo("sub/bare.dcm");
            assertThat(e.get("kind").asString()).isEqualTo("DICOM");
        });
        assertThat(listing.get("entries")).anySatisfy(e -> {
            assertThat(e.get("path").asString()).isEqualTo("sub/more.json");
            assertThat(e.get("kind").asString()).isEqualTo("JSON");
            assertThat(e.get("size").asLong()).isEqualTo(16177);
        });
    }

    /** The brief's Task 1 on its own sample folder (the seed files, as MANIFEST.tsv describes them). */
    @Test
    void briefsSampleFolder(@TempDir Path seed) {
        for (String name : new String[] {"sample-01-csv.csv", "sample-01-dicom.dcm", "sample-02-dicom.dcm",
                "sample-03-00-json.json", "sample-04-json.json", "MANIFEST.tsv", "reference.jsonl"}) {
            Corpus.copy("seed", name, seed);
        }

        CliRun run = CliRun.of("ls", seed.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(": 7 files, 0 folders (DICOM 2, CSV 1, JSON 2, other 2, unreadable 0)")
                .containsPattern("DICOM +594998  sample-01-dicom\\.dcm")
                .containsPattern("DICOM +1702398  sample-02-dicom\\.dcm")
                .containsPattern("CSV +1211  sample-01-csv\\.csv")
                .containsPattern("JSON +16177  sample-04-json\\.json")
                .containsPattern("OTHER +\\d+  MANIFEST\\.tsv");
    }

    @Test
    void missingFolderIsAOneLineErrorWithExitCode2() {
        CliRun run = CliRun.of("ls", folder.resolve("nope").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).startsWith("dicomflow ls: no such folder:").doesNotContain("\n");
    }

    @Test
    void aFileIsNotAFolder() {
        CliRun run = CliRun.of("ls", folder.resolve("patients.txt").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("dicomflow ls: not a folder:");
    }

    @Test
    void missingArgumentIsAUsageError() {
        CliRun run = CliRun.of("ls");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'FOLDER'").contains("dicomflow ls --help");
    }

    @Test
    void helpShowsExamples() {
        CliRun run = CliRun.of("ls", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Examples:").contains("dicomflow ls ./data -r");
    }

    /** 128-byte preamble, "DICM", then one File Meta element (explicit VR little endian). */
    static byte[] part10Dicom() {
        byte[] bytes = new byte[140];
        bytes[128] = 'D';
        bytes[129] = 'I';
        bytes[130] = 'C';
        bytes[131] = 'M';
        byte[] element = {0x02, 0x00, 0x00, 0x00, 'U', 'L', 0x04, 0x00, 0x00, 0x00, 0x00, 0x00};
        System.arraycopy(element, 0, bytes, 132, element.length - 4);
        return bytes;
    }

    /** A data set without preamble: (0008,0005) implicit VR, length 10, "ISO_IR 100". */
    static byte[] bareImplicitLittleEndianDicom() {
        byte[] header = {0x08, 0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x00};
        byte[] value = "ISO_IR 100".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[header.length + value.length];
        System.arraycopy(header, 0, bytes, 0, header.length);
        System.arraycopy(value, 0, bytes, header.length, value.length);
        return bytes;
    }
}
