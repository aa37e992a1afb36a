package io.dicomflow.upload.validation;

/** How much of DICOM conformance a deployment insists on; each level includes the one before. */
public enum ValidationLevel {

	/**
	 * The header parses and the UIDs the pipeline keys on (SOP Class/Instance, Study, Series) are present and
	 * valid: the least that lets a file be stored and addressed. Bare datasets without Part 10 header pass.
	 */
	PARSE,
	/**
	 * Also: Part 10 structure, a known transfer syntax, Pixel Data for image storage SOP classes, declared
	 * lengths consistent with the file, and image attributes consistent with the pixel data present (no more frames
	 * than fragments or native bytes allow, at most {@code ImagePixelModule.MAX_FRAMES}). The default.
	 */
	STANDARD,
	/**
	 * Also: the File Meta Information names the same SOP Class and Instance as the dataset, and the reader did
	 * not have to tolerate any anomaly (explicit/implicit VR mix-ups, stray delimiters, trailing bytes...).
	 */
	STRICT

}
