package io.dicomflow.upload.validation;

/**
 * A file was refused.
 *
 * @param code machine-readable reason
 * @param attribute the DICOM attribute concerned, or null
 * @param message human-readable reason, free of patient data
 */
public record Rejection(RejectionCode code, String attribute, String message) {

	/** Thrown by the validator; carries the {@link Rejection}. */
	public static final class Exception extends java.lang.Exception {

		private final Rejection rejection;

		public Exception(RejectionCode code, String attribute, String message) {
			super(message, null, false, false);
			this.rejection = new Rejection(code, attribute, message);
		}

		public Rejection rejection() {
			return this.rejection;
		}

	}

}
