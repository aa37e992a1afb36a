package io.dicomflow.upload.upload;

import io.dicomflow.common.dicom.DicomHeader;

/**
 * Told about every stored file inside the transaction that records it, so that derived data (e.g. the DICOMweb
 * query index) commits or rolls back together with the file row. An exception fails the file's ingest.
 */
public interface StoredInstanceListener {

	/**
	 * @param file the row just saved and flushed (so a listener may reference it from plain SQL)
	 * @param header the file's parsed header; holds patient data, so never log it
	 */
	void stored(UploadFile file, DicomHeader header);

}
