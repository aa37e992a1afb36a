package io.dicomflow.upload.dicomweb;

import java.util.Locale;

import io.dicomflow.upload.validation.RejectionCode;

/**
 * The STOW-RS Failure Reason (0008,1197) of each ingest rejection, as listed in docs/dicomweb.md. Matched on the
 * code's name so that a rejection code added later still maps to its family instead of failing the build.
 */
final class FailureReasons {

	/** PS3.7 C: Refused, out of resources. */
	static final int OUT_OF_RESOURCES = 0xA700;

	/** PS3.7 C: Error, data set does not match SOP class (a required attribute is missing or invalid). */
	static final int DATASET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;

	/** PS3.7 C: Error, cannot understand. */
	static final int CANNOT_UNDERSTAND = 0xC000;

	/** Cannot understand: the part is empty. */
	static final int EMPTY = 0xC001;

	/** Cannot understand: the part is not a readable DICOM Part 10 stream. */
	static final int NOT_DICOM = 0xC002;

	/** Cannot understand: the part's media type is not {@code application/dicom}. */
	static final int WRONG_PART_MEDIA_TYPE = 0xC00F;

	/** PS3.18: referenced Transfer Syntax not supported. */
	static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;

	/** The instance belongs to another study than the one in the request path (the code dcm4chee uses too). */
	static final int STUDY_INSTANCE_UID_MISMATCH = 0xC409;

	/** PS3.7 C: Failure, processing failure. */
	static final int PROCESSING_FAILURE = 0x0110;

	/** PS3.7 C: Failure, duplicate SOP instance: the UID is already stored with other content. */
	static final int DUPLICATE_SOP_INSTANCE = 0x0111;

	/** PS3.7 C: Refused, SOP class not supported. */
	static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;

	private FailureReasons() {
	}

	static int of(RejectionCode code) {
		String name = code.name().toUpperCase(Locale.ROOT);
		if (name.equals("EMPTY_FILE")) {
			return EMPTY;
		}
		if (name.equals("NONCONFORMANT")) {
			return DATASET_DOES_NOT_MATCH_SOP_CLASS;
		}
		if (name.contains("CONFLICT")) {
			return DUPLICATE_SOP_INSTANCE;
		}
		if (name.contains("TRANSFER_SYNTAX")) {
			return TRANSFER_SYNTAX_NOT_SUPPORTED;
		}
		if (name.contains("SOP_CLASS")) {
			return SOP_CLASS_NOT_SUPPORTED;
		}
		if (name.contains("QUOTA") || name.contains("TOO_LARGE") || name.contains("SIZE") || name.contains("BUSY")) {
			return OUT_OF_RESOURCES;
		}
		if (name.contains("ATTRIBUTE") || name.contains("UID") || name.contains("PIXEL")) {
			return DATASET_DOES_NOT_MATCH_SOP_CLASS;
		}
		if (name.contains("STORE") || name.contains("FAIL")) {
			return PROCESSING_FAILURE;
		}
		if (name.contains("MALFORMED") || name.contains("NOT_DICOM") || name.contains("PART10") || name.contains("PREAMBLE")
				|| name.contains("LENGTH") || name.contains("TRUNCATED")) {
			return NOT_DICOM;
		}
		return CANNOT_UNDERSTAND;
	}

}
