package io.dicomflow.common.storage;

import java.util.regex.Pattern;

/**
 * Object keys of stored instances: {@code {tenant}/studies/{study}/series/{series}/instances/{sop}}. UIDs come
 * from uploaded files, so each is validated before it becomes part of a key: a UID like {@code ../../x} must
 * never address another object.
 */
public final class ObjectKeys {

	// PS3.5 §9.1: components of digits separated by dots, no leading zero in a multi-digit component, max 64
	private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

	private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private ObjectKeys() {
	}

	/** Whether {@code uid} is a syntactically valid DICOM UID. */
	public static boolean isValidUid(String uid) {
		return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
	}

	public static String instanceKey(String tenant, String studyUid, String seriesUid, String sopInstanceUid) {
		if (!TENANT.matcher(tenant).matches()) {
			throw new IllegalArgumentException("invalid tenant name");
		}
		requireUid("StudyInstanceUID", studyUid);
		requireUid("SeriesInstanceUID", seriesUid);
		requireUid("SOPInstanceUID", sopInstanceUid);
		return tenant + "/studies/" + studyUid + "/series/" + seriesUid + "/instances/" + sopInstanceUid;
	}

	private static void requireUid(String name, String uid) {
		if (!isValidUid(uid)) {
			throw new IllegalArgumentException(name + " is not a valid UID");
		}
	}

}
