package io.dicomflow.upload.validation;

import io.dicomflow.common.dicom.DicomHeader;

/**
 * The identifying attributes of a file that passed validation.
 *
 * @param header the parsed header the attributes were read from, for whoever needs more of it (e.g. the
 * DICOMweb query index); holds patient data, so never log it
 */
public record ValidatedInstance(String sopClassUid, String sopInstanceUid, String studyInstanceUid,
		String seriesInstanceUid, String transferSyntaxUid, DicomHeader header) {
}
