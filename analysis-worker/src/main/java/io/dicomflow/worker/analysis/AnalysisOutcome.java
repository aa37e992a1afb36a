package io.dicomflow.worker.analysis;

import io.dicomflow.common.analysis.ImageAnalysis;

/** What analysing one image came to: figures, or a permanent failure with its reason. */
public sealed interface AnalysisOutcome {

	/** The image was analysed. */
	record Analysed(ImageAnalysis analysis) implements AnalysisOutcome {
	}

	/**
	 * The image cannot be analysed, and trying again will not change that.
	 *
	 * @param code machine-readable reason
	 * @param reason human-readable reason, free of patient data
	 */
	record Unanalysable(String code, String reason) implements AnalysisOutcome {
	}

}
