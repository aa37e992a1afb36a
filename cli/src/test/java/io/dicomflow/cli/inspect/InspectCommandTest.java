package io.dicomflow.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The text output, --tag and the error paths of inspect. Expected values are those recorded in
 * the corpus reference.jsonl and MANIFEST.tsv (and, for attributes reference.jsonl does not
 * list, read from the files with a hex dump).
 */
class InspectCommandTest {

    @TempDir
    Path temp;

    @Test
    void textShowsThePatientAndStudyRecordsAndPixelStatistics() {
        Path file = Corpus.copy("seed", "sample-01-dicom.dcm", temp);

        CliRun run = CliRun.of("inspect", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Transfer syntax: 1.2.840.10008.1.2.1")
                .containsPattern("Name: +Anonymous")
                .containsPattern("Patient ID: +Anon474899")
                .containsPattern("Sex: +not present")
                .containsPattern("Modality: +MR")
                .containsPattern("Study date: +20090925")
                .containsPattern("Study Instance UID: +1\\.2\\.826\\.0\\.1\\.3680043\\.9\\.4245\\.6991930879568943665960007045689326523")
                .containsPattern("Series number: +18")
                .containsPattern("Number of frames: +not present")
                // reference.jsonl: stored values masked to Bits Stored 12 (the overlay in bit 12 removed)
                .containsPattern("Count: +262144")
                .containsPattern("Min: +0")
                .containsPattern("Max: +4095")
                .containsPattern("Mean: +97\\.65859222")
                .containsPattern("Std \\(population\\): +366\\.3922149")
                // 97.6585922241211 / 4095
                .containsPattern("Normalized average: +0\\.02384825207");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void requestedTagsByKeywordOrNumber() {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);

        CliRun run = CliRun.of("inspect", file.toString(), "--tag", "PatientName", "--tag", "0028,0010",
                "--tag", "(0008,0008)", "--tag", "00091010", "--tag", "PatientWeight", "--tag", "IssuerOfPatientID",
                "--tag", "0x0008, 0x0016");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .containsPattern("PatientName \\(0010,0010\\): +CompressedSamples\\^MR1")
                .containsPattern("Rows \\(0028,0010\\): +64")
                .containsPattern("ImageType \\(0008,0008\\): +DERIVED\\\\SECONDARY\\\\OTHER")
                .containsPattern("\\(0009,1010\\): +not present")
                // (0010,1030) DS "80.000" in the file
                .containsPattern("PatientWeight \\(0010,1030\\): +80")
                .containsPattern("IssuerOfPatientID \\(0010,0021\\): +not present")
                // the brief's notation
                .containsPattern("SOPClassUID \\(0008,0016\\): +1\\.2\\.840\\.10008\\.5\\.1\\.4\\.1\\.1\\.4")
                // (0010,0030) DA present with length 0
                .containsPattern("Birth date: +\\(empty\\)")
                .containsPattern("Sex: +F");
    }

    @Test
    void jsonHasTheDocumentedShapeWithNumbersAndArrays() {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);

        CliRun run = CliRun.of("inspect", file.toString(), "--json", "--tag", "ImageType", "--tag", "PixelSpacing",
                "--tag", "PixelData");

        JsonNode json = run.json();
        assertThat(run.out().strip().lines()).hasSize(1);
        assertThat(json.propertyNames()).containsExactly("file", "transferSyntaxUID", "attributes", "pixelStats",
                "rescaledStats", "pixelError", "error");
        JsonNode attributes = json.get("attributes");
        assertThat(attributes.get("PatientName").asString()).isEqualTo("CompressedSamples^MR1");
        assertThat(attributes.get("Rows").isIntegralNumber()).isTrue();
        assertThat(attributes.get("ImageType").isArray()).isTrue();
        assertThat(attributes.get("ImageType").get(2).asString()).isEqualTo("OTHER");
        assertThat(attributes.get("PixelSpacing").get(0).asDouble()).isEqualTo(0.3125);
        assertThat(attributes.get("PixelData").asString()).isEqualTo("pixel data of 8192 bytes (see the pixel statistics)");
        assertThat(json.get("pixelStats").propertyNames())
                .containsExactly("count", "min", "max", "mean", "std", "averageAfterNormalization");
        assertThat(json.get("pixelError").isNull()).isTrue();
        assertThat(json.get("error").isNull()).isTrue();
    }

    @Test
    void notDicomPrintsJsonWithTheErrorAndExits2() {
        Path file = Corpus.copy("seed", "sample-01-csv.csv", temp);

        CliRun json = CliRun.of("inspect", file.toString(), "--json");
        CliRun text = CliRun.of("inspect", file.toString());

        assertThat(json.exitCode()).isEqualTo(2);
        JsonNode document = json.json();
        assertThat(document.get("transferSyntaxUID").isNull()).isTrue();
        assertThat(document.get("attributes").isEmpty()).isTrue();
        assertThat(document.get("pixelStats").isNull()).isTrue();
        assertThat(document.get("error").get("offset").asLong()).isZero();
        assertThat(document.get("error").has("tag")).isTrue();
        assertThat(document.get("error").get("message").asString()).isNotBlank();
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.out()).isEmpty();
        assertThat(text.err().lines()).hasSize(1);
        assertThat(text.err()).startsWith("dicomflow inspect: " + file + ": not readable DICOM at offset 0");
    }

    @Test
    void truncatedPixelDataKeepsTheHeaderAndReportsAPixelError() throws IOException {
        Path whole = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);
        Path cut = temp.resolve("cut.dcm");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(whole), 5000));

        CliRun run = CliRun.of("inspect", cut.toString(), "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("attributes").get("PatientID").asString()).isEqualTo("4MR1");
        assertThat(json.get("pixelStats").isNull()).isTrue();
        assertThat(json.get("pixelError").asString()).contains("offset 5000");
    }

    @Test
    void noPixelsSkipsDecoding() {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);

        JsonNode json = CliRun.of("inspect", file.toString(), "--json", "--no-pixels").json();

        assertThat(json.get("pixelStats").isNull()).isTrue();
        assertThat(json.get("pixelError").asString()).contains("--no-pixels");
    }

    @Test
    void badInputs() {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);

        CliRun unknownKeyword = CliRun.of("inspect", file.toString(), "--tag", "PatientNme");
        CliRun missing = CliRun.of("inspect", temp.resolve("none.dcm").toString());

        assertThat(unknownKeyword.exitCode()).isEqualTo(2);
        assertThat(unknownKeyword.err()).isEqualTo("dicomflow inspect: --tag: 'PatientNme' is neither a DICOM keyword "
                + "(e.g. PatientName) nor a tag (e.g. 0010,0010 or 0x0010, 0x0010)" + System.lineSeparator());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("dicomflow inspect: no such file:");
    }
}
