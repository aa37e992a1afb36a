/**
 * The Results API, the brief's {@code /api/elements/}: elements posted as numeric data lines and the
 * analyses of uploaded DICOM images, one versioned element each, read and edited by their owner (an admin
 * sees all). Stored in {@code medical_image_result}; see docs/results-api.md.
 */
package io.dicomflow.upload.results;
