/**
 * Checks an uploaded file before anything of it is stored: it must be a readable DICOM header with the UIDs
 * the pipeline keys on. Each failed check has its own machine-readable {@link io.dicomflow.upload.validation.RejectionCode}.
 */
package io.dicomflow.upload.validation;
