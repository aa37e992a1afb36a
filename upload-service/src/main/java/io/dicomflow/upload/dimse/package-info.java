/**
 * The DICOM Storage SCP: modalities and PACS send instances with C-STORE over the DICOM Upper Layer (PS3.8),
 * each association one upload through the same ingest as the HTTP routes. The protocol itself (PDUs,
 * negotiation, command sets) is in {@code io.dicomflow.common.dicom.net}; see docs/dimse.md for the conformance
 * statement.
 */
package io.dicomflow.upload.dimse;
