package io.dicomflow.common.dicom.records;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;

import io.dicomflow.common.dicom.DicomHeader;

/**
 * A study as a DICOM file describes it (the brief's Task 2): modality, study date and time, Study Instance
 * UID, series number and number of frames. As in the brief's hierarchy it is a {@link PatientRecord} too,
 * the patient's record seen through this study, so its diagnosis is updated the same way; audit entries then
 * name the study by its UID besides the patient's hash.
 */
public final class StudyRecord extends PatientRecord {

    private final String modality;
    private final LocalDate studyDate;
    private final LocalTime studyTime;
    private final String studyInstanceUid;
    private final Integer seriesNumber;
    private final Integer numberOfFrames;

    private StudyRecord(DicomHeader header) {
        super(header);
        this.modality = text(header, "Modality");
        this.studyDate = header.date("StudyDate").orElse(null);
        this.studyTime = header.time("StudyTime").orElse(null);
        this.studyInstanceUid = text(header, "StudyInstanceUID");
        this.seriesNumber = boxed(header.integer("SeriesNumber"));
        this.numberOfFrames = boxed(header.integer("NumberOfFrames"));
    }

    /** The study record (with its patient) of a parsed file. */
    public static StudyRecord from(DicomHeader header) {
        return new StudyRecord(header);
    }

    public Optional<String> modality() {
        return Optional.ofNullable(modality);
    }

    /** Empty when absent or not a valid date. */
    public Optional<LocalDate> studyDate() {
        return Optional.ofNullable(studyDate);
    }

    /** Empty when absent or not a valid time. */
    public Optional<LocalTime> studyTime() {
        return Optional.ofNullable(studyTime);
    }

    public Optional<String> studyInstanceUid() {
        return Optional.ofNullable(studyInstanceUid);
    }

    public OptionalInt seriesNumber() {
        return seriesNumber == null ? OptionalInt.empty() : OptionalInt.of(seriesNumber);
    }

    /** Number of Frames (0028,0008); empty when absent, which DICOM reads as a single frame. */
    public OptionalInt numberOfFrames() {
        return numberOfFrames == null ? OptionalInt.empty() : OptionalInt.of(numberOfFrames);
    }

    /** {@code study:<Study Instance UID> patient#<hash>}: UIDs and hashes, no patient data. */
    @Override
    public String auditReference() {
        return "study:" + (studyInstanceUid == null || studyInstanceUid.isEmpty() ? "none" : studyInstanceUid)
                + " patient#" + patientHash();
    }

    /** {@code StudyRecord[modality=MR, …, numberOfFrames=-, patient=PatientRecord[…]]}; holds patient data. */
    @Override
    public String toString() {
        StringJoiner patient = new StringJoiner(", ", "PatientRecord[", "]");
        addPatientFields(patient);
        return new StringJoiner(", ", "StudyRecord[", "]")
                .add("modality=" + show(modality))
                .add("studyDate=" + show(studyDate))
                .add("studyTime=" + show(studyTime))
                .add("studyInstanceUid=" + show(studyInstanceUid))
                .add("seriesNumber=" + show(seriesNumber))
                .add("numberOfFrames=" + show(numberOfFrames))
                .add("patient=" + patient)
                .toString();
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
