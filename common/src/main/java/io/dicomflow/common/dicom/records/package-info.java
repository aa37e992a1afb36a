/**
 * The brief's Task 2: a patient's record and a study's record built from a DICOM dataset, whose diagnosis can
 * be updated, every update recorded in an audit log that says who changed which record and when, never what
 * the diagnosis says. Plain Java (no Spring), used by the CLI.
 */
package io.dicomflow.common.dicom.records;
