package io.dicomflow.upload.replica;

/** PostgreSQL WAL positions ({@code pg_lsn} text such as {@code 16/B374D848}) as comparable longs. */
final class Lsn {

	private Lsn() {
	}

	static long parse(String text) {
		int slash = text.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("not a pg_lsn: " + text);
		}
		return (Long.parseUnsignedLong(text.substring(0, slash), 16) << 32)
				| Long.parseUnsignedLong(text.substring(slash + 1), 16);
	}

	static String format(long lsn) {
		return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
	}

}
