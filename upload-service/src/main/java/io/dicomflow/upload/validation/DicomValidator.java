package io.dicomflow.upload.validation;

import java.io.IOException;
import java.io.InputStream;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.storage.ObjectKeys;

import org.springframework.stereotype.Component;

/** Reads a file's header with the project's DICOM reader and checks what the pipeline relies on. */
@Component
public class DicomValidator {

	private final DicomReader reader = DicomReader.create();

	public ValidatedInstance validate(InputStream content, long size) throws Rejection.Exception, IOException {
		if (size == 0) {
			throw new Rejection.Exception(RejectionCode.EMPTY_FILE, null, "the file is empty");
		}
		DicomHeader header;
		try {
			header = this.reader.readHeader(content);
		}
		catch (DicomParseException ex) {
			throw new Rejection.Exception(RejectionCode.MALFORMED_DICOM, null, "not a readable DICOM file: " + ex.getMessage());
		}
		return new ValidatedInstance(uid(header, "SOPClassUID"), uid(header, "SOPInstanceUID"),
				uid(header, "StudyInstanceUID"), uid(header, "SeriesInstanceUID"), header.transferSyntaxUid(), header);
	}

	private static String uid(DicomHeader header, String keyword) throws Rejection.Exception {
		String value = header.string(keyword).map((v) -> v.replace("\0", "").strip()).orElse("");
		if (value.isEmpty()) {
			throw new Rejection.Exception(RejectionCode.MISSING_ATTRIBUTE, keyword, keyword + " is missing");
		}
		if (!ObjectKeys.isValidUid(value)) {
			throw new Rejection.Exception(RejectionCode.INVALID_UID, keyword, keyword + " is not a valid UID");
		}
		return value;
	}

}
