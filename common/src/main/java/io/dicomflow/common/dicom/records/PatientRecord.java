package io.dicomflow.common.dicom.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.StringJoiner;

import io.dicomflow.common.dicom.DicomHeader;

/**
 * A patient as a DICOM file describes them (the brief's Task 2): name, age, birth date, sex, weight, patient ID
 * with its type and issuer, and the diagnosis, read from Admitting Diagnoses Description (0008,1080). Absent
 * attributes are empty. The diagnosis is the one mutable field: {@link #updateDiagnosis} changes it and records
 * who did it, when, and to which record in a {@link DiagnosisAuditLog}, never the text itself.
 *
 * <p>{@link #toString()} is the readable form the brief asks for and therefore holds patient data: it is for
 * showing to the user who asked, never for a log. Logs take {@link #auditReference()}.
 */
public class PatientRecord {

    /** Admitting Diagnoses Description (0008,1080), LO: the standard attribute for a patient's diagnosis. */
    public static final int DIAGNOSIS_TAG = 0x00081080;

    /** LO holds at most 64 characters (PS3.5 6.2). */
    public static final int MAX_DIAGNOSIS_LENGTH = 64;

    private final String name;
    private final String age;
    private final LocalDate birthDate;
    private final Double weightKg;
    private final String sex;
    private final String patientId;
    private final String typeOfPatientId;
    private final String issuerOfPatientId;
    private String diagnosis;

    protected PatientRecord(DicomHeader header) {
        Objects.requireNonNull(header, "header");
        this.name = text(header, "PatientName");
        this.age = text(header, "PatientAge");
        this.birthDate = header.date("PatientBirthDate").orElse(null);
        OptionalDouble weight = header.decimal("PatientWeight");
        this.weightKg = weight.isPresent() ? weight.getAsDouble() : null;
        this.sex = text(header, "PatientSex");
        this.patientId = text(header, "PatientID");
        this.typeOfPatientId = text(header, "TypeOfPatientID");
        this.issuerOfPatientId = text(header, "IssuerOfPatientID");
        this.diagnosis = text(header, "AdmittingDiagnosesDescription");
    }

    /** The patient record of a parsed file. */
    public static PatientRecord from(DicomHeader header) {
        return new PatientRecord(header);
    }

    /** PN in its DICOM form, e.g. {@code Doe^John}. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** AS as stored, e.g. {@code 045Y}. */
    public Optional<String> age() {
        return Optional.ofNullable(age);
    }

    /** Empty when absent or not a valid date. */
    public Optional<LocalDate> birthDate() {
        return Optional.ofNullable(birthDate);
    }

    public Optional<String> sex() {
        return Optional.ofNullable(sex);
    }

    /** Patient's Weight (0010,1030), in kilograms. */
    public OptionalDouble weightKg() {
        return weightKg == null ? OptionalDouble.empty() : OptionalDouble.of(weightKg);
    }

    public Optional<String> patientId() {
        return Optional.ofNullable(patientId);
    }

    public Optional<String> typeOfPatientId() {
        return Optional.ofNullable(typeOfPatientId);
    }

    public Optional<String> issuerOfPatientId() {
        return Optional.ofNullable(issuerOfPatientId);
    }

    public synchronized Optional<String> diagnosis() {
        return Optional.ofNullable(diagnosis);
    }

    /**
     * Sets the diagnosis, once the change is recorded in {@code audit} (who, when, {@link #auditReference()};
     * not the text). When the audit log cannot be written, nothing changes.
     *
     * @param diagnosis the new diagnosis: at most 64 characters, no backslash or control characters (it is
     *                  stored as an LO value); empty clears it
     * @param changedBy who makes the change (a user name, without control characters)
     * @return the audit entry
     * @throws IllegalArgumentException for a diagnosis or user name that cannot be stored
     */
    public synchronized DiagnosisChange updateDiagnosis(String diagnosis, String changedBy, DiagnosisAuditLog audit) {
        String value = validDiagnosis(diagnosis);
        Objects.requireNonNull(audit, "audit");
        if (changedBy == null || changedBy.isBlank() || changedBy.chars().anyMatch(c -> Character.isISOControl(c)
                || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("who changes the diagnosis must be a user name without spaces");
        }
        DiagnosisChange.Kind kind = value.isEmpty() ? DiagnosisChange.Kind.CLEARED
                : this.diagnosis == null || this.diagnosis.isEmpty() ? DiagnosisChange.Kind.SET
                : DiagnosisChange.Kind.REPLACED;
        DiagnosisChange change = audit.record(changedBy, auditReference(), kind);
        this.diagnosis = value;
        return change;
    }

    /** Checks what an LO value may hold; returns it stripped of surrounding spaces (LO padding is not significant). */
    static String validDiagnosis(String diagnosis) {
        Objects.requireNonNull(diagnosis, "diagnosis");
        String value = diagnosis.strip();
        if (value.length() > MAX_DIAGNOSIS_LENGTH) {
            throw new IllegalArgumentException("a diagnosis holds at most " + MAX_DIAGNOSIS_LENGTH
                    + " characters (DICOM LO), this one has " + value.length());
        }
        if (value.chars().anyMatch(c -> c == '\\' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a diagnosis may not hold a backslash or control characters");
        }
        return value;
    }

    /**
     * How audit entries and logs name this record without patient data: {@code patient#} and the first 16 hex
     * digits of the SHA-256 of issuer and patient ID ({@code patient#none} when the file has no patient ID).
     */
    public String auditReference() {
        return "patient#" + patientHash();
    }

    protected final String patientHash() {
        if (patientId == null || patientId.isEmpty()) {
            return "none";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ((issuerOfPatientId == null ? "" : issuerOfPatientId) + "\u0000" + patientId)
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code PatientRecord[name=Doe^John, age=045Y, …, diagnosis=-]}; absent values are {@code -}. */
    @Override
    public String toString() {
        StringJoiner fields = new StringJoiner(", ", "PatientRecord[", "]");
        addPatientFields(fields);
        return fields.toString();
    }

    protected final synchronized void addPatientFields(StringJoiner fields) {
        fields.add("name=" + show(name))
                .add("age=" + show(age))
                .add("birthDate=" + show(birthDate))
                .add("sex=" + show(sex))
                .add("weight=" + (weightKg == null ? "-" : weightKg + " kg"))
                .add("patientId=" + show(patientId))
                .add("typeOfPatientId=" + show(typeOfPatientId))
                .add("issuerOfPatientId=" + show(issuerOfPatientId))
                .add("diagnosis=" + show(diagnosis));
    }

    protected static String show(Object value) {
        return value == null ? "-" : value.toString().isEmpty() ? "(empty)" : value.toString();
    }

    /** Decoded text, trailing padding removed; null when absent, "" when present without a value. */
    protected static String text(DicomHeader header, String keyword) {
        if (!header.contains(keyword)) {
            return null;
        }
        return header.string(keyword).map(String::strip).orElse("");
    }
}
