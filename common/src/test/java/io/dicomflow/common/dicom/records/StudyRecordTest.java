package io.dicomflow.common.dicom.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brief's Task 2 types on corpus files, with the values DCMTK and pydicom recorded for them (see the
 * corpus reference.jsonl): what they hold, how they read, and the audit of a diagnosis update.
 */
class StudyRecordTest {

    private static final Instant NOW = Instant.parse("2026-12-03T13:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path temp;

    static DicomHeader header(String corpusFile) throws Exception {
        return DicomReader.create().readHeader(CorpusReference.folder("dicom").resolve(corpusFile));
    }

    @Test
    void recordsHoldTheFieldsTheBriefNames() throws Exception {
        // pydicom's MR_small: PatientName CompressedSamples^MR1, PatientSex F, PatientWeight 80.000,
        // PatientBirthDate present but empty, Modality MR, StudyDate 20040826, StudyTime 185059, SeriesNumber 1
        DicomHeader header = header("pydicom-MR_small.dcm");

        StudyRecord study = StudyRecord.from(header);
        PatientRecord patient = PatientRecord.from(header);

        assertThat(patient.name()).contains("CompressedSamples^MR1");
        assertThat(patient.sex()).contains("F");
        assertThat(patient.weightKg()).hasValue(80.0);
        assertThat(patient.birthDate()).isEmpty();
        assertThat(patient.patientId()).contains("4MR1");
        assertThat(patient.diagnosis()).isEmpty();
        assertThat(study.name()).isEqualTo(patient.name());
        assertThat(study.modality()).contains("MR");
        assertThat(study.studyDate()).contains(LocalDate.of(2004, 8, 26));
        assertThat(study.studyTime()).contains(LocalTime.of(18, 50, 59));
        assertThat(study.studyInstanceUid()).contains("1.3.6.1.4.1.5962.1.2.4.20040826185059.5457");
        assertThat(study.seriesNumber()).hasValue(1);
        assertThat(study.numberOfFrames()).isEmpty();
    }

    @Test
    void toStringIsReadable() throws Exception {
        StudyRecord study = StudyRecord.from(header("pydicom-MR_small.dcm"));

        assertThat(PatientRecord.from(header("pydicom-MR_small.dcm")).toString()).isEqualTo(
                "PatientRecord[name=CompressedSamples^MR1, age=-, birthDate=-, sex=F, weight=80.0 kg, patientId=4MR1, "
                        + "typeOfPatientId=-, issuerOfPatientId=-, diagnosis=-]");
        assertThat(study.toString()).isEqualTo("StudyRecord[modality=MR, studyDate=2004-08-26, studyTime=18:50:59, "
                + "studyInstanceUid=1.3.6.1.4.1.5962.1.2.4.20040826185059.5457, seriesNumber=1, numberOfFrames=-, "
                + "patient=PatientRecord[name=CompressedSamples^MR1, age=-, birthDate=-, sex=F, weight=80.0 kg, "
                + "patientId=4MR1, typeOfPatientId=-, issuerOfPatientId=-, diagnosis=-]]");
    }

    @Test
    void updateDiagnosisAuditsWhoWhenAndWhichRecordButNeverTheText() throws Exception {
        StudyRecord study = StudyRecord.from(header("pydicom-MR_small.dcm"));
        Path file = temp.resolve("audit.log");

        try (DiagnosisAuditLog audit = DiagnosisAuditLog.appendingTo(file, CLOCK)) {
            DiagnosisChange first = study.updateDiagnosis("Suspected pneumonia", "alice", audit);
            DiagnosisChange second = study.updateDiagnosis("Pneumonia, confirmed", "bob", audit);
            DiagnosisChange third = study.updateDiagnosis("", "bob", audit);

            assertThat(first).isEqualTo(new DiagnosisChange(NOW, "alice", study.auditReference(), DiagnosisChange.Kind.SET));
            assertThat(second.kind()).isEqualTo(DiagnosisChange.Kind.REPLACED);
            assertThat(third.kind()).isEqualTo(DiagnosisChange.Kind.CLEARED);
            assertThat(audit.entries()).containsExactly(first, second, third);
        }
        assertThat(study.diagnosis()).contains("");
        assertThat(study.auditReference()).matches("study:1\\.3\\.6\\.1\\.4\\.1\\.5962\\.1\\.2\\.4\\.20040826185059\\.5457 "
                + "patient#[0-9a-f]{16}");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).containsExactly(
                "2026-12-03T13:30:00Z diagnosis SET by=alice record=" + study.auditReference(),
                "2026-12-03T13:30:00Z diagnosis REPLACED by=bob record=" + study.auditReference(),
                "2026-12-03T13:30:00Z diagnosis CLEARED by=bob record=" + study.auditReference());
        String log = String.join("\n", lines);
        assertThat(log).doesNotContain("neumonia").doesNotContain("CompressedSamples").doesNotContain("4MR1");
    }

    @Test
    void aPatientRecordIsNamedByAHashOfItsIssuerAndId() throws Exception {
        PatientRecord patient = PatientRecord.from(header("pydicom-MR_small.dcm"));
        DiagnosisAuditLog audit = DiagnosisAuditLog.inMemory(CLOCK);

        patient.updateDiagnosis("Fracture", "carol", audit);

        assertThat(patient.diagnosis()).contains("Fracture");
        assertThat(audit.entries()).singleElement().extracting(DiagnosisChange::record)
                .isEqualTo(patient.auditReference());
        // SHA-256 of "" + NUL + "4MR1" (no issuer), first 8 bytes
        assertThat(patient.auditReference()).isEqualTo("patient#" + sha256Prefix("\u00004MR1"));
    }

    @Test
    void aValueDicomCannotHoldOrAnUnwritableAuditChangesNothing() throws Exception {
        PatientRecord patient = PatientRecord.from(header("pydicom-MR_small.dcm"));
        DiagnosisAuditLog audit = DiagnosisAuditLog.inMemory(CLOCK);

        assertThatThrownBy(() -> patient.updateDiagnosis("x".repeat(65), "alice", audit))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64 characters");
        assertThatThrownBy(() -> patient.updateDiagnosis("a\\b", "alice", audit))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backslash");
        assertThatThrownBy(() -> patient.updateDiagnosis("ok", "alice\nforged line", audit))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(audit.entries()).isEmpty();

        DiagnosisAuditLog closed = DiagnosisAuditLog.appendingTo(temp.resolve("closed.log"), CLOCK);
        closed.close();
        assertThatThrownBy(() -> patient.updateDiagnosis("Fracture", "alice", closed))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(patient.diagnosis()).isEmpty();
    }

    /** Many threads updating one record through one log: every change is one whole line, none lost. */
    @Test
    void concurrentUpdatesAreEachAuditedOnOneWholeLine() throws Exception {
        StudyRecord study = StudyRecord.from(header("pydicom-MR_small.dcm"));
        Path file = temp.resolve("concurrent.log");
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (DiagnosisAuditLog audit = DiagnosisAuditLog.appendingTo(file, Clock.systemUTC())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "user" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        study.updateDiagnosis("Finding " + i, user, audit);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            assertThat(audit.entries()).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * perThread)
                .allMatch(line -> line.matches("\\S+ diagnosis (SET|REPLACED) by=user\\d record=study:\\S+ patient#[0-9a-f]{16}"));
        assertThat(lines).filteredOn(line -> line.contains(" SET ")).hasSize(1);
        assertThat(study.diagnosis()).hasValueSatisfying(d -> assertThat(d).startsWith("Finding "));
    }

    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest, 0, 8);
    }

}
