package io.dicomflow.upload.validation;

/** The identifying attributes of a file that passed validation. */
public record ValidatedInstance(String sopClassUid, String sopInstanceUid, String studyInstanceUid,
		String seriesInstanceUid, String transferSyntaxUid) {
}
