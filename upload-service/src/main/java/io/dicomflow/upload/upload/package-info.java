/**
 * Ingest of DICOM files over HTTP: each file is validated, stored in S3 and recorded together with its
 * {@code ImageUploaded} event in one transaction; the upload's files then move through
 * {@link io.dicomflow.upload.upload.FileState}.
 */
package io.dicomflow.upload.upload;
