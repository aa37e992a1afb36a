package io.dicomflow.worker.results;

/**
 * Version of the analysis rules shipped in this build, the default of {@code dicomflow.worker.analyzer-version};
 * a result is unique per instance, content and version.
 */
public final class AnalyzerVersion {

	/** Bump when the figures an analysis produces change. */
	public static final String CURRENT = "1";

	private AnalyzerVersion() {
	}

}
