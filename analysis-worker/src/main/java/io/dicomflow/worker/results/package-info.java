/**
 * The brief's {@code MedicalImageResult} rows and the events announcing them, written in one transaction and
 * idempotently: a redelivered request or a second upload of identical content yields the same result row.
 */
package io.dicomflow.worker.results;
