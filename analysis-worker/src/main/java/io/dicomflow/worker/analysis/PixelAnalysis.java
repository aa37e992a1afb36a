package io.dicomflow.worker.analysis;

import java.io.IOException;
import java.nio.file.Path;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.analysis.UnsupportedImageException;
import io.dicomflow.common.dicom.DicomParseException;

/**
 * The analysis of one local DICOM file. A seam so that tests can slow it down or make it fail the way real
 * images do; production uses {@code common}'s {@code ImageAnalyzer}, which holds one frame at a time.
 */
@FunctionalInterface
public interface PixelAnalysis {

	ImageAnalysis analyze(Path dicomFile) throws DicomParseException, UnsupportedImageException, IOException;

}
