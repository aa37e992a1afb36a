package io.dicomflow.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import io.dicomflow.common.dicom.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * inspect on damaged files: a file cut short shows what was read before the cut together with the error
 * (as dcmdump and pydicom do), and a file whose header announces an absurd image ends in an error line, not
 * in an OutOfMemoryError. The cut offsets are inside pydicom-reportsi.dcm, an explicit VR little endian
 * structured report with sequences of undefined length; the values expected are those dcmdump prints for
 * the whole file.
 */
class InspectDamagedFilesTest {

    private static final String REPORT = "pydicom-reportsi.dcm";

    @TempDir
    Path temp;

    private Path cut(String name, int length) throws IOException {
        Path whole = Corpus.copy("dicom", name, temp);
        Path cut = temp.resolve("cut-" + length + ".dcm");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(whole), length));
        return cut;
    }

    @Test
    void cutInsideTheFileMetaInformationShowsTheMetaElementsReadWithTheError() throws IOException {
        // (0002,0013) ImplementationVersionName's 8-byte header starts at 320; the cut leaves 4 of its bytes
        Path file = cut(REPORT, 324);

        CliRun run = CliRun.of("inspect", file.toString(), "--json", "--tag", "MediaStorageSOPClassUID",
                "--tag", "ImplementationClassUID");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode json = run.json();
        assertThat(json.get("transferSyntaxUID").asString()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(json.get("attributes").get("MediaStorageSOPClassUID").asString())
                .isEqualTo("1.2.840.10008.5.1.4.1.1.88.11");
        assertThat(json.get("attributes").get("ImplementationClassUID").asString())
                .isEqualTo("1.2.276.0.7230010.3.0.3.5.3");
        assertThat(json.get("error").get("offset").asLong()).isEqualTo(320);
        assertThat(json.get("error").get("tag").asString()).isEqualTo("(0002,0013)");
        assertThat(json.get("error").get("message").asString()).contains("File Meta Information");
        assertThat(run.err()).startsWith("dicomflow inspect: " + file + ": not readable DICOM at offset 320");
    }

    @Test
    void cutInsideAValueOfASequenceItemShowsEverythingBeforeIt() throws IOException {
        // (0008,0116) ST of 60 bytes at 766, in the item of (0008,0110) CodingSchemeIdentificationSequence
        Path file = cut(REPORT, 780);

        CliRun run = CliRun.of("inspect", file.toString(), "--json", "--tag", "CodingSchemeIdentificationSequence",
                "--tag", "ReferringPhysicianName");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode json = run.json();
        JsonNode attributes = json.get("attributes");
        assertThat(json.get("transferSyntaxUID").asString()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(attributes.get("SOPClassUID").asString()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.11");
        assertThat(attributes.get("SOPInstanceUID").asString())
                .isEqualTo("1.2.276.0.7230010.3.1.4.1787205428.166.1117461927.10");
        assertThat(attributes.get("SpecificCharacterSet").asString()).isEqualTo("ISO_IR 100");
        assertThat(attributes.get("StudyDate").asString()).isEmpty();
        assertThat(attributes.get("Modality").asString()).isEqualTo("SR");
        assertThat(attributes.get("Manufacturer").asString()).isEqualTo("Kuratorium OFFIS e.V.");
        assertThat(attributes.get("ReferringPhysicianName").asString()).isEqualTo("Last Name^First Name");
        // the sequence cut short keeps the item it was reading
        assertThat(attributes.get("CodingSchemeIdentificationSequence").asString()).isEqualTo("sequence of 1 item");
        // nothing after the cut
        assertThat(attributes.has("PatientName")).isFalse();
        assertThat(attributes.has("StudyInstanceUID")).isFalse();
        assertThat(json.get("error").get("offset").asLong()).isEqualTo(766);
        assertThat(json.get("error").get("tag").asString()).isEqualTo("(0008,0116)");
        assertThat(json.get("pixelStats").isNull()).isTrue();
    }

    @Test
    void cutInsideAnItemHeaderShowsTheAttributesBeforeTheSequence() throws IOException {
        // (0040,A730) ContentSequence's value starts at 1342 with an item header; the cut is inside it
        Path file = cut(REPORT, 1345);

        CliRun json = CliRun.of("inspect", file.toString(), "--json", "--tag", "ContentSequence",
                "--tag", "CompletionFlag");
        CliRun text = CliRun.of("inspect", file.toString());

        assertThat(json.exitCode()).isEqualTo(2);
        JsonNode attributes = json.json().get("attributes");
        assertThat(attributes.get("PatientName").asString()).isEqualTo("Last Name^First Name");
        assertThat(attributes.get("StudyInstanceUID").asString())
                .isEqualTo("1.2.276.0.7230010.3.1.2.1787205428.166.1117461927.5");
        assertThat(attributes.get("SeriesInstanceUID").asString())
                .isEqualTo("1.2.276.0.7230010.3.1.3.1787205428.166.1117461927.11");
        assertThat(attributes.get("PatientID").asString()).isEmpty();
        assertThat(attributes.get("CompletionFlag").asString()).isEqualTo("PARTIAL");
        assertThat(attributes.get("ContentSequence").asString()).isEqualTo("sequence of 0 items");
        assertThat(json.json().get("error").get("offset").asLong()).isBetween(1342L, 1345L);
        assertThat(json.json().get("error").get("message").asString()).isNotBlank();

        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.out())
                .contains("Transfer syntax: 1.2.840.10008.1.2.1")
                .containsPattern("Name: +Last Name\\^First Name")
                .containsPattern("Sex: +O")
                .containsPattern("Study Instance UID: +1\\.2\\.276\\.0\\.7230010\\.3\\.1\\.2\\.1787205428\\.166\\.1117461927\\.5")
                .contains("Not readable past offset");
        assertThat(text.err().lines()).hasSize(1);
        assertThat(text.err()).startsWith("dicomflow inspect: " + file + ": not readable DICOM at offset");
    }

    @Test
    void theIssue12FileEndsWithAPixelErrorNotAnOutOfMemoryError() throws IOException {
        // 622 bytes of RLE declaring NumberOfFrames 2147483647: inspect used to die in OutOfMemoryError
        Path file = temp.resolve("frames.dcm");
        Files.write(file, HostileFiles.rleFrameCountBomb());

        CliRun json = CliRun.of("inspect", file.toString(), "--json");
        CliRun text = CliRun.of("inspect", file.toString());

        // the header is readable, so the exit code is the documented 0 with the reason in pixelError
        assertThat(json.exitCode()).isZero();
        assertThat(json.json().get("attributes").get("NumberOfFrames").asLong()).isEqualTo(2147483647L);
        assertThat(json.json().get("pixelStats").isNull()).isTrue();
        assertThat(json.json().get("pixelError").asString())
                .contains("NumberOfFrames 2147483647 exceeds the maximum");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).containsPattern("Pixels: not decoded: NumberOfFrames 2147483647 exceeds the maximum");
    }
}
