package io.dicomflow.upload.results;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One element (one version of it) as the API shows it: the brief's fields and names, then the additions.
 *
 * @param id the element id, stable across versions
 * @param deviceName device name
 * @param averageBeforeNormalization mean of the values
 * @param averageAfterNormalization mean of value / max
 * @param dataSize number of values
 * @param rawData the posted element, or the extracted metadata and wider statistics of an analysed image
 * @param createdDate when this version was stored
 * @param updatedDate when this version last changed
 * @param owner the user the element belongs to
 * @param source {@code api} (posted data) or {@code analysis} (an uploaded DICOM image)
 * @param version 1 for the first analysis, +1 for each re-analysis
 * @param latest whether this is the newest version
 * @param analyzerVersion what computed the figures
 * @param minValue smallest value
 * @param maxValue largest value
 * @param stdValue population standard deviation
 */
record ElementView(String id, @JsonProperty("device_name") String deviceName,
		@JsonProperty("average_before_normalization") double averageBeforeNormalization,
		@JsonProperty("average_after_normalization") double averageAfterNormalization,
		@JsonProperty("data_size") long dataSize, @JsonProperty("raw_data") JsonNode rawData,
		@JsonProperty("created_date") OffsetDateTime createdDate,
		@JsonProperty("updated_date") OffsetDateTime updatedDate, String owner, String source, int version,
		boolean latest, @JsonProperty("analyzer_version") String analyzerVersion,
		@JsonProperty("min_value") Double minValue, @JsonProperty("max_value") Double maxValue,
		@JsonProperty("std_value") Double stdValue) {
}
