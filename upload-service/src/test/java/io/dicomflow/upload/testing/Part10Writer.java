package io.dicomflow.upload.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes small DICOM Part 10 files (explicit VR little endian) for tests, including deliberately broken ones:
 * a test states exactly which rule a file breaks. Not a general writer: elements are written in the order
 * they are added, and the caller keeps them in tag order.
 */
public final class Part10Writer {

	public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

	public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

	public static final String EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";

	private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT");

	private boolean preamble = true;

	private String transferSyntax = EXPLICIT_VR_LE;

	private String mediaSopClass;

	private String mediaSopInstance;

	private final ByteArrayOutputStream data = new ByteArrayOutputStream();

	private Part10Writer() {
	}

	/** An empty dataset: add elements in tag order. */
	public static Part10Writer empty() {
		return new Part10Writer();
	}

	/** A minimal image: patient module, the four UIDs, an 8x8 8-bit image; {@code pixels} may be null. */
	public static Part10Writer image(String sopClass, String sopInstance, String study, String series, byte[] pixels) {
		return image(sopClass, sopInstance, study, series, 8, 8, pixels);
	}

	/** A minimal 8-bit monochrome image of {@code rows} x {@code columns}; {@code pixels} may be null. */
	public static Part10Writer image(String sopClass, String sopInstance, String study, String series, int rows,
			int columns, byte[] pixels) {
		Part10Writer writer = new Part10Writer();
		writer.mediaSopClass = sopClass;
		writer.mediaSopInstance = sopInstance;
		writer.ui(0x00080016, sopClass)
			.ui(0x00080018, sopInstance)
			.string(0x00080060, "CS", "CT")
			.string(0x00100010, "PN", "Test^Patient")
			.string(0x00100020, "LO", "TEST-1")
			.ui(0x0020000D, study)
			.ui(0x0020000E, series);
		if (pixels != null) {
			writer.us(0x00280002, 1)
				.string(0x00280004, "CS", "MONOCHROME2")
				.us(0x00280010, rows)
				.us(0x00280011, columns)
				.us(0x00280100, 8)
				.us(0x00280101, 8)
				.us(0x00280102, 7)
				.us(0x00280103, 0)
				.element(0x7FE00010, "OB", pixels);
		}
		return writer;
	}

	/** 64 bytes of 8x8 pixels whose values depend on {@code seed}. */
	public static byte[] pixels(int seed) {
		byte[] pixels = new byte[64];
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (byte) (i * 3 + seed);
		}
		return pixels;
	}

	/** A fresh, valid, unique UID (PS3.5 B.2: "2.25." and a UUID as a decimal integer). */
	public static String uid() {
		java.util.UUID uuid = java.util.UUID.randomUUID();
		java.math.BigInteger value = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
			.putLong(uuid.getMostSignificantBits())
			.putLong(uuid.getLeastSignificantBits())
			.array());
		return "2.25." + value;
	}

	public Part10Writer withoutPreamble() {
		this.preamble = false;
		return this;
	}

	public Part10Writer transferSyntax(String uid) {
		this.transferSyntax = uid;
		return this;
	}

	public Part10Writer mediaStorage(String sopClass, String sopInstance) {
		this.mediaSopClass = sopClass;
		this.mediaSopInstance = sopInstance;
		return this;
	}

	public Part10Writer ui(int tag, String uid) {
		return element(tag, "UI", pad(uid, (byte) 0));
	}

	public Part10Writer string(int tag, String vr, String text) {
		return element(tag, vr, pad(text, (byte) ' '));
	}

	public Part10Writer us(int tag, int value) {
		return element(tag, "US", new byte[] { (byte) value, (byte) (value >> 8) });
	}

	public Part10Writer element(int tag, String vr, byte[] value) {
		return header(tag, vr, value.length).raw(value);
	}

	/** An element header declaring {@code length} value bytes; the bytes themselves are up to the caller. */
	public Part10Writer header(int tag, String vr, long length) {
		write(this.data, tag, vr, length);
		return this;
	}

	public Part10Writer raw(byte[] bytes) {
		this.data.writeBytes(bytes);
		return this;
	}

	public byte[] toBytes() {
		ByteArrayOutputStream meta = new ByteArrayOutputStream();
		write(meta, 0x00020001, "OB", 2);
		meta.writeBytes(new byte[] { 0, 1 });
		if (this.mediaSopClass != null) {
			writeElement(meta, 0x00020002, "UI", pad(this.mediaSopClass, (byte) 0));
			writeElement(meta, 0x00020003, "UI", pad(this.mediaSopInstance, (byte) 0));
		}
		if (this.transferSyntax != null) {
			writeElement(meta, 0x00020010, "UI", pad(this.transferSyntax, (byte) 0));
		}
		writeElement(meta, 0x00020012, "UI", pad("1.2.826.0.1.3680043.10.1234", (byte) 0));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (this.preamble) {
			out.writeBytes(new byte[128]);
			out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
		}
		byte[] metaBytes = meta.toByteArray();
		writeElement(out, 0x00020000, "UL", le32(metaBytes.length));
		out.writeBytes(metaBytes);
		out.writeBytes(this.data.toByteArray());
		return out.toByteArray();
	}

	private static void writeElement(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
		write(out, tag, vr, value.length);
		out.writeBytes(value);
	}

	private static void write(ByteArrayOutputStream out, int tag, String vr, long length) {
		out.writeBytes(le16(tag >>> 16));
		out.writeBytes(le16(tag & 0xFFFF));
		out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
		if (LONG_VRS.contains(vr)) {
			out.writeBytes(new byte[2]);
			out.writeBytes(le32(length));
		}
		else {
			out.writeBytes(le16((int) length));
		}
	}

	private static byte[] pad(String text, byte padding) {
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		if (bytes.length % 2 == 0) {
			return bytes;
		}
		byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1);
		padded[bytes.length] = padding;
		return padded;
	}

	private static byte[] le16(int v) {
		return new byte[] { (byte) v, (byte) (v >> 8) };
	}

	private static byte[] le32(long v) {
		return new byte[] { (byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24) };
	}

}
