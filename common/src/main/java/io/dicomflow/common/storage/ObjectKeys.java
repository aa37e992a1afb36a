package io.dicomflow.common.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Object keys of stored instances:
 * {@code {tenant}/owners/{ownerKey}/studies/{study}/series/{series}/instances/{sop}}
 * (docs/decisions/0011-per-owner-keys-and-instance-claims.md).
 *
 * <p>Every owner has their own key space, so two owners never share an object and nothing one owner sends can
 * collide with, overwrite or reveal anything about another owner's instances. The owner segment is an opaque
 * digest of the owner id: owner ids come from tokens (any characters, possibly an e-mail address) and must
 * neither break the key's structure nor appear in it.
 *
 * <p>UIDs come from uploaded files, so each is validated before it becomes part of a key: a UID like
 * {@code ../../x} must never address another object. Keys are recorded in the database rows that refer to
 * them (file, index, result), and readers use the recorded key: objects stored under an earlier scheme (the
 * UID-only {@code {tenant}/studies/...} before V41) stay readable.
 */
public final class ObjectKeys {

	// PS3.5 §9.1: components of digits separated by dots, no leading zero in a multi-digit component, max 64
	private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

	private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	/** Hex characters of the owner segment: 128 bits of SHA-256, plenty against accidental collisions. */
	private static final int OWNER_KEY_HEX = 32;

	private ObjectKeys() {
	}

	/** Whether {@code uid} is a syntactically valid DICOM UID. */
	public static boolean isValidUid(String uid) {
		return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
	}

	/**
	 * The key segment of an owner: the first 32 hex characters of the SHA-256 of the owner id (UTF-8). Stable
	 * (the same owner always gets the same segment, on every service instance) and key-safe whatever the id.
	 */
	public static String ownerKey(String owner) {
		if (owner == null || owner.isEmpty()) {
			throw new IllegalArgumentException("an object key needs an owner");
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, OWNER_KEY_HEX);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** The key of the instance with these UIDs in {@code owner}'s key space. */
	public static String instanceKey(String tenant, String owner, String studyUid, String seriesUid,
			String sopInstanceUid) {
		if (tenant == null || !TENANT.matcher(tenant).matches()) {
			throw new IllegalArgumentException("invalid tenant name");
		}
		requireUid("StudyInstanceUID", studyUid);
		requireUid("SeriesInstanceUID", seriesUid);
		requireUid("SOPInstanceUID", sopInstanceUid);
		return tenant + "/owners/" + ownerKey(owner) + "/studies/" + studyUid + "/series/" + seriesUid
				+ "/instances/" + sopInstanceUid;
	}

	private static void requireUid(String name, String uid) {
		if (!isValidUid(uid)) {
			throw new IllegalArgumentException(name + " is not a valid UID");
		}
	}

}
