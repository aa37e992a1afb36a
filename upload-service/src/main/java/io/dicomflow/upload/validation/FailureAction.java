package io.dicomflow.upload.validation;

/** What happens to a file that fails a content rule. */
public enum FailureAction {

	/** Refused; nothing of it is kept. */
	REJECT,
	/** Kept aside (own S3 prefix, own table), listed for admins, never analysed. */
	QUARANTINE

}
