package io.dicomflow.upload.results;

import io.dicomflow.common.analysis.PixelStatistics;
import tools.jackson.databind.node.ObjectNode;

/**
 * One element of a POST, parsed and analysed.
 *
 * @param key the batch key ({@code "1"}, {@code "2"}, ...) or {@code null} for a single-element body
 * @param id the element id
 * @param deviceName the device name
 * @param rawData what is stored as {@code raw_data}
 * @param statistics figures of the data values
 */
record NewElement(String key, String id, String deviceName, ObjectNode rawData, PixelStatistics statistics) {

	/** How problems name this element: its id, and its batch key when it came in a batch. */
	String label() {
		return (this.key != null) ? "element \"" + this.key + "\" (id \"" + this.id + "\")" : "element \"" + this.id + "\"";
	}

}
