package io.dicomflow.upload.dimse;

import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.validation.RejectionCode;

/**
 * The C-STORE response status (PS3.4 B.2.3, PS3.7 C) for what the ingest did with an instance, and the Error
 * Comment (0000,0902) that says why; docs/dimse.md has the table.
 *
 * <ul>
 * <li>{@code ACCEPTED} and {@code DUPLICATE} (the owner already has these very bytes: storing them again is
 * idempotent) are Success {@code 0000}.</li>
 * <li>Retryable refusals, where the sender should try again later, are {@code A700} "Refused: Out of
 * Resources": quota exceeded, file too large for this archive, store failed, ingest saturated.</li>
 * <li>Content that is DICOM but breaks the rules of its SOP class (a required attribute missing, pixel data
 * missing or inconsistent, meta information disagreeing with the dataset) is {@code A900} "Error: Data Set does
 * not match SOP Class".</li>
 * <li>Content that cannot be parsed, and a {@code CONFLICT} (the SOP Instance UID is already stored with other
 * bytes: resending cannot help) are {@code C000} "Error: Cannot understand".</li>
 * </ul>
 * No coercion is ever done (the stored file is the received bytes behind a built File Meta Information), so
 * the warning {@code B000} is never sent.
 *
 * @param status the Status (0000,0900)
 * @param comment the Error Comment, at most 64 characters (LO), or null on success
 */
record StoreStatus(int status, String comment) {

	static final int SUCCESS = 0x0000;

	static final int OUT_OF_RESOURCES = 0xA700;

	static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;

	static final int CANNOT_UNDERSTAND = 0xC000;

	/** PS3.7 C general status "Refused: SOP Class not supported": the SOP class is not the presentation context's abstract syntax. */
	static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;

	/** PS3.7 C: a request this SCP does not perform. */
	static final int UNRECOGNIZED_OPERATION = 0x0211;

	StoreStatus {
		if (comment != null && comment.length() > 64) {
			comment = comment.substring(0, 64);
		}
	}

	static StoreStatus of(FileOutcome outcome) {
		return switch (outcome.outcome()) {
			case ACCEPTED, DUPLICATE -> new StoreStatus(SUCCESS, null);
			case CONFLICT -> new StoreStatus(CANNOT_UNDERSTAND,
					"CONFLICT: SOP Instance UID stored with other content");
			case QUARANTINED, REJECTED -> of(outcome.rejection().code(), outcome.rejection().message());
		};
	}

	static StoreStatus of(RejectionCode code, String detail) {
		int status = switch (code) {
			case QUOTA_EXCEEDED, FILE_TOO_LARGE, STORE_FAILED -> OUT_OF_RESOURCES;
			case MISSING_ATTRIBUTE, PIXEL_DATA_MISSING, PIXEL_DATA_INCONSISTENT, NONCONFORMANT, INVALID_UID ->
				DATA_SET_DOES_NOT_MATCH_SOP_CLASS;
			case EMPTY_FILE, NOT_DICOM, NOT_PART10, TRUNCATED, LENGTH_PAST_EOF, MALFORMED_DICOM,
					UNKNOWN_TRANSFER_SYNTAX, CONFLICT -> CANNOT_UNDERSTAND;
		};
		return new StoreStatus(status, code.name() + ((detail != null) ? ": " + ascii(detail) : ""));
	}

	/** The Error Comment is LO in the default repertoire: keep printable ASCII only. */
	private static String ascii(String text) {
		StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
		for (int i = 0; i < text.length() && out.length() < 64; i++) {
			char c = text.charAt(i);
			out.append((c >= 0x20 && c < 0x7F && c != '\\') ? c : '?');
		}
		return out.toString();
	}

}
