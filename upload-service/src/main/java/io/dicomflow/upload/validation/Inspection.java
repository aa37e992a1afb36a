package io.dicomflow.upload.validation;

import io.dicomflow.common.dicom.DicomHeader;

/**
 * What one read of a file found: its hash and size always (they are computed on the way), and either the
 * validated instance or why it was refused.
 *
 * @param sha256 hex SHA-256 of all bytes read
 * @param size number of bytes read
 * @param header the parsed header, or null when it could not be parsed
 * @param instance the validated identifiers, or null when a rule failed
 * @param rejection the first rule that failed, or null
 */
public record Inspection(String sha256, long size, DicomHeader header, ValidatedInstance instance,
		Rejection rejection) {

	public boolean valid() {
		return this.rejection == null;
	}

}
