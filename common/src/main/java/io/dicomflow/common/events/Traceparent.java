package io.dicomflow.common.events;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** W3C Trace Context {@code traceparent} values: {@code 00-<trace id>-<parent span id>-<flags>}. */
public final class Traceparent {

	private static final Pattern VALID = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private Traceparent() {
	}

	/** A new trace, sampled. */
	public static String newRoot() {
		return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
	}

	/** A new span in the trace of {@code parent}, or a new trace if {@code parent} is absent or invalid. */
	public static String childOf(String parent) {
		if (parent == null || !VALID.matcher(parent).matches()) {
			return newRoot();
		}
		return parent.substring(0, 36) + randomHex(8) + parent.substring(52);
	}

	private static String randomHex(int bytes) {
		byte[] b = new byte[bytes];
		RANDOM.nextBytes(b);
		return HexFormat.of().formatHex(b);
	}

}
