/**
 * Erasure (GDPR Art. 17) and retention: an owner or an admin deletes an upload or a study, and a configurable
 * retention expires uploads older than a maximum age; the stored objects, their quarantined copies and every
 * row that refers to them go, and each erasure leaves an audit record.
 */
package io.dicomflow.upload.erasure;
