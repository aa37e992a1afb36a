package io.dicomflow.common.dicom.records;

import java.time.Instant;

/**
 * One audited diagnosis update: who, when, which record, and what kind of change. The diagnosis text is
 * patient data and is deliberately not part of it.
 *
 * @param at        when the change was recorded
 * @param changedBy who made it (a user name)
 * @param record    which record: {@link PatientRecord#auditReference()}, UIDs and hashes only
 * @param kind      whether a diagnosis was set for the first time, replaced or cleared
 */
public record DiagnosisChange(Instant at, String changedBy, String record, Kind kind) {

    public enum Kind {
        /** there was none before */
        SET,
        /** one diagnosis replaced another (possibly the same text: the act is audited, not the difference) */
        REPLACED,
        /** set to empty */
        CLEARED
    }

    /** The audit line: {@code 2026-12-03T13:30:00Z diagnosis REPLACED by=alice record=study:1.2.3 patient#=…}. */
    public String toLine() {
        return at + " diagnosis " + kind + " by=" + changedBy + " record=" + record;
    }
}
