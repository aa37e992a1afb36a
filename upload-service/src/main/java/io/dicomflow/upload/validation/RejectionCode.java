package io.dicomflow.upload.validation;

/** Why a file was not accepted; the names are part of the API (clients switch on them). */
public enum RejectionCode {

	/** Zero bytes. */
	EMPTY_FILE,
	/** Larger than the configured per-file limit. */
	FILE_TOO_LARGE,
	/** Storing it would take the owner past their storage quota. */
	QUOTA_EXCEEDED,
	/** Not DICOM at all (an image, an archive, text...). */
	NOT_DICOM,
	/** DICOM data without the Part 10 structure: 128-byte preamble, "DICM", File Meta Information. */
	NOT_PART10,
	/** The data ends inside an element header or before the dataset is complete. */
	TRUNCATED,
	/** An element declares a value length that runs past the end of the file. */
	LENGTH_PAST_EOF,
	/** DICOM whose encoding cannot be parsed (bad VR layout, broken sequence, too deeply nested...). */
	MALFORMED_DICOM,
	/** The Transfer Syntax UID is not one this service knows how to read. */
	UNKNOWN_TRANSFER_SYNTAX,
	/** A required attribute is absent or empty. */
	MISSING_ATTRIBUTE,
	/** A UID is not a valid DICOM UID (digits and dots, at most 64 characters, no leading zeros). */
	INVALID_UID,
	/** An image storage SOP class instance without Pixel Data. */
	PIXEL_DATA_MISSING,
	/**
	 * The image attributes (NumberOfFrames, Rows, Columns, Samples per Pixel, Bits Allocated) describe more pixel
	 * data than the file holds (native bytes, or fragments of encapsulated data), or more frames than any image may
	 * have.
	 */
	PIXEL_DATA_INCONSISTENT,
	/** (strict) File Meta Information disagrees with the dataset, or the reader had to tolerate anomalies. */
	NONCONFORMANT,
	/** The same SOP Instance UID is already stored with different bytes (see docs/decisions/0004). */
	CONFLICT,
	/** The file could not be stored; trying again may work. */
	STORE_FAILED;

	/** Whether the rule is about the file's content (and so subject to quarantine rather than rejection). */
	public boolean isContentRule() {
		return switch (this) {
			case NOT_DICOM, NOT_PART10, TRUNCATED, LENGTH_PAST_EOF, MALFORMED_DICOM, UNKNOWN_TRANSFER_SYNTAX,
					MISSING_ATTRIBUTE, INVALID_UID, PIXEL_DATA_MISSING, PIXEL_DATA_INCONSISTENT, NONCONFORMANT ->
				true;
			default -> false;
		};
	}

}
