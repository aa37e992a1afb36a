package io.dicomflow.worker.results;

/** Version of the analysis rules; a result is unique per instance, content and this version. */
public final class AnalyzerVersion {

	/** Bump when the figures an analysis produces change. */
	public static final String CURRENT = "1";

	private AnalyzerVersion() {
	}

}
