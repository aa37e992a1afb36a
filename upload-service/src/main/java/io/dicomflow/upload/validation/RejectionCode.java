package io.dicomflow.upload.validation;

/** Why a file was not accepted; the names are part of the API. */
public enum RejectionCode {

	/** Zero bytes. */
	EMPTY_FILE,
	/** Not DICOM, or a header that cannot be parsed. */
	MALFORMED_DICOM,
	/** A required attribute is absent or empty. */
	MISSING_ATTRIBUTE,
	/** A UID is not a valid DICOM UID (digits and dots, at most 64 characters, no leading zeros). */
	INVALID_UID,
	/** The same SOP Instance UID is already stored with different bytes. */
	CONFLICT,
	/** The file could not be stored; trying again may work. */
	STORE_FAILED

}
