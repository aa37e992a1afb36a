package io.dicomflow.cli.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The brief's Task 2 on the command line: the records shown by inspect --records, and a diagnosis updated in a copy. */
class DiagnosisCommandTest {

    @TempDir
    Path temp;

    @Test
    void inspectRecordsShowsBothRecords() {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);

        CliRun run = CliRun.of("inspect", file.toString(), "--records");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "PatientRecord[name=CompressedSamples^MR1, age=-, birthDate=-, sex=F, weight=80.0 kg, patientId=4MR1, "
                        + "typeOfPatientId=-, issuerOfPatientId=-, diagnosis=-]",
                "StudyRecord[modality=MR, studyDate=2004-08-26, studyTime=18:50:59, "
                        + "studyInstanceUid=1.3.6.1.4.1.5962.1.2.4.20040826185059.5457, seriesNumber=1, numberOfFrames=-, "
                        + "patient=PatientRecord[name=CompressedSamples^MR1, age=-, birthDate=-, sex=F, weight=80.0 kg, "
                        + "patientId=4MR1, typeOfPatientId=-, issuerOfPatientId=-, diagnosis=-]]");
        assertThat(CliRun.of("inspect", file.toString(), "--records", "--json").exitCode()).isEqualTo(2);
    }

    @Test
    void updatesTheDiagnosisInACopyAndAuditsWhoAndWhichRecordButNotTheText() throws Exception {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);
        byte[] original = Files.readAllBytes(file);
        Path copy = temp.resolve("reviewed.dcm");

        CliRun run = CliRun.of("diagnosis", file.toString(), "--set", "Suspected pneumonia", "--output", copy.toString(),
                "--by", "alice");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path audit = temp.resolve("dicomflow-audit.log");
        String reference = "study:1.3.6.1.4.1.5962.1.2.4.20040826185059.5457 patient#";
        assertThat(run.out()).startsWith("Wrote " + copy + " (diagnosis SET for " + reference);
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        assertThat(CliRun.of("inspect", copy.toString(), "--records").out())
                .contains("diagnosis=Suspected pneumonia]]");
        assertThat(CliRun.of("inspect", copy.toString(), "--tag", "AdmittingDiagnosesDescription").out())
                .containsPattern("AdmittingDiagnosesDescription \\(0008,1080\\): +Suspected pneumonia");

        // a second change, on the copy, into another copy: one more audit line
        Path again = temp.resolve("cleared.dcm");
        assertThat(CliRun.of("diagnosis", copy.toString(), "--set", "", "-o", again.toString(), "--by", "bob")
                .exitCode()).isZero();
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\S+Z diagnosis SET by=alice record=" + reference.replace(".", "\\.")
                + "[0-9a-f]{16}");
        assertThat(lines.get(1)).contains(" diagnosis CLEARED by=bob record=" + reference);
        assertThat(String.join("\n", lines)).doesNotContain("neumonia").doesNotContain("CompressedSamples")
                .doesNotContain("4MR1");
        assertThat(CliRun.of("inspect", again.toString(), "--records").out()).contains("diagnosis=(empty)]]");
    }

    @Test
    void refusesWhatItCannotDoWithOneLineAndWritesNothing() throws Exception {
        Path file = Corpus.copy("dicom", "pydicom-MR_small.dcm", temp);
        Path existing = Files.writeString(temp.resolve("existing.dcm"), "x");
        Path audit = temp.resolve("audit.log");

        CliRun overwrite = CliRun.of("diagnosis", file.toString(), "--set", "x", "-o", existing.toString());
        CliRun tooLong = CliRun.of("diagnosis", file.toString(), "--set", "y".repeat(65), "-o",
                temp.resolve("a.dcm").toString(), "--audit-log", audit.toString());
        CliRun notDicom = CliRun.of("diagnosis", existing.toString(), "--set", "x", "-o", temp.resolve("b.dcm").toString(),
                "--audit-log", audit.toString());
        CliRun noOutput = CliRun.of("diagnosis", file.toString(), "--set", "x");
        CliRun deflated = CliRun.of("diagnosis", Corpus.copy("dicom", "dicomparser-report_dfl.dcm", temp).toString(),
                "--set", "x", "-o", temp.resolve("d.dcm").toString(), "--audit-log", audit.toString());

        assertThat(overwrite.exitCode()).isEqualTo(2);
        assertThat(overwrite.err().lines()).containsExactly("dicomflow diagnosis: will not overwrite " + existing
                + ": --output must be a new file");
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.err()).contains("at most 64 characters");
        assertThat(notDicom.exitCode()).isEqualTo(2);
        assertThat(notDicom.err()).startsWith("dicomflow diagnosis: " + existing + ": not readable DICOM");
        assertThat(noOutput.exitCode()).isEqualTo(2);
        assertThat(deflated.exitCode()).isEqualTo(2);
        assertThat(deflated.err().lines()).singleElement().asString()
                .endsWith("dicomparser-report_dfl.dcm: the deflated transfer syntax is not supported for editing");
        assertThat(temp.resolve("d.dcm")).doesNotExist();
        assertThat(Files.readString(existing)).isEqualTo("x");
        assertThat(temp.resolve("a.dcm")).doesNotExist();
        assertThat(temp.resolve("b.dcm")).doesNotExist();
        assertThat(audit).doesNotExist();
    }
}
