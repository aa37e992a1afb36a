package io.dicomflow.upload.results;

import java.time.OffsetDateTime;

/**
 * The list filters; {@code null} means "no bound". Ranges are inclusive at both ends.
 *
 * @param createdFrom created_date &ge;
 * @param createdTo created_date &le;
 * @param updatedFrom updated_date &ge;
 * @param updatedTo updated_date &le;
 * @param beforeMin average_before_normalization &ge;
 * @param beforeMax average_before_normalization &le;
 * @param afterMin average_after_normalization &ge;
 * @param afterMax average_after_normalization &le;
 * @param sizeMin data_size &ge;
 * @param sizeMax data_size &le;
 * @param deviceName device_name, case-insensitive equality
 * @param owner only this owner's elements (an admin's choice; a user only ever sees their own)
 * @param source {@code api} or {@code analysis}
 * @param allVersions every version instead of the newest of each element
 */
record ElementFilter(OffsetDateTime createdFrom, OffsetDateTime createdTo, OffsetDateTime updatedFrom,
		OffsetDateTime updatedTo, Double beforeMin, Double beforeMax, Double afterMin, Double afterMax, Long sizeMin,
		Long sizeMax, String deviceName, String owner, String source, boolean allVersions) {

	static ElementFilter none() {
		return new ElementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, false);
	}

}
