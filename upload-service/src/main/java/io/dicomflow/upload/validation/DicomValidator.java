package io.dicomflow.upload.validation;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.ReaderLimits;
import io.dicomflow.common.dicom.pixel.ImagePixelModule;
import io.dicomflow.common.storage.ObjectKeys;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Reads a file once, from the first byte to the last: the SHA-256 and the size are computed on the way, the
 * header is parsed with the project's reader (which stops in front of the pixel data value), then the pixel
 * data's declared lengths are walked (encapsulated fragments item by item, skipping their bytes) and the rest
 * drained. Memory use is the reader's bounded header plus a read buffer, whatever the file's size.
 *
 * <p>Each rule that fails has its own {@link RejectionCode}; the first failure wins. Messages never quote
 * attribute values (they may be patient data), only attribute names and positions.
 */
@Component
@EnableConfigurationProperties(ValidationProperties.class)
public class DicomValidator {

	private static final int PREAMBLE = 128;

	/**
	 * Tighter than the reader's defaults: an upload service runs with a small heap and many concurrent
	 * requests, and no real header needs more than a few MB of kept values.
	 */
	static final ReaderLimits LIMITS = new ReaderLimits(1 << 20, 32L << 20, 250_000, 32, 1L << 30);

	private final DicomReader reader = DicomReader.create(LIMITS);

	private final ValidationLevel level;

	public DicomValidator(ValidationProperties properties) {
		this.level = properties.level();
	}

	public ValidationLevel level() {
		return this.level;
	}

	/** Reads all of {@code content} (not closed) and applies the configured level's rules. */
	public Inspection inspect(InputStream content) throws IOException {
		MessageDigest digest = sha256();
		CountingInputStream counted = new CountingInputStream(new DigestInputStream(content, digest));
		DicomHeader header = null;
		Rejection rejection;
		BufferedInputStream in = new BufferedInputStream(counted, 1 << 16);
		boolean part10 = hasPreambleAndDicm(in);
		try (DicomStream stream = this.reader.open(new NonClosing(in))) {
			header = stream.header();
			rejection = check(header, part10);
			if (rejection == null && this.level != ValidationLevel.PARSE) {
				rejection = checkPixelLengths(header, stream.pixelValue());
			}
		}
		catch (DicomParseException ex) {
			rejection = parseFailure(ex);
		}
		in.transferTo(OutputStream.nullOutputStream());
		if (counted.count() == 0) {
			rejection = new Rejection(RejectionCode.EMPTY_FILE, null, "the file is empty");
		}
		String sha256 = HexFormat.of().formatHex(digest.digest());
		ValidatedInstance instance = (rejection == null) ? instance(header) : null;
		return new Inspection(sha256, counted.count(), header, instance, rejection);
	}

	/** Validates {@code content}; the size argument is kept for callers of the first version of this API. */
	public ValidatedInstance validate(InputStream content, long size) throws Rejection.Exception, IOException {
		Inspection inspection = inspect(content);
		if (!inspection.valid()) {
			throw new Rejection.Exception(inspection.rejection().code(), inspection.rejection().attribute(),
					inspection.rejection().message());
		}
		return inspection.instance();
	}

	private static boolean hasPreambleAndDicm(BufferedInputStream in) throws IOException {
		in.mark(PREAMBLE + 4);
		byte[] head = in.readNBytes(PREAMBLE + 4);
		in.reset();
		return head.length == PREAMBLE + 4
				&& "DICM".equals(new String(head, PREAMBLE, 4, StandardCharsets.US_ASCII));
	}

	private Rejection check(DicomHeader header, boolean part10) {
		try {
			return checkOrThrow(header, part10);
		}
		catch (Rejection.Exception ex) {
			return ex.rejection();
		}
	}

	private Rejection checkOrThrow(DicomHeader header, boolean part10) throws Rejection.Exception {
		if (this.level != ValidationLevel.PARSE) {
			if (!part10 || header.fileMeta().size() == 0) {
				return new Rejection(RejectionCode.NOT_PART10, null,
						"no Part 10 header (128-byte preamble, \"DICM\", File Meta Information)");
			}
			if (header.transferSyntaxInferred()) {
				return new Rejection(RejectionCode.MISSING_ATTRIBUTE, "TransferSyntaxUID",
						"the File Meta Information has no TransferSyntaxUID");
			}
			if (!header.transferSyntax().isKnown()) {
				return new Rejection(RejectionCode.UNKNOWN_TRANSFER_SYNTAX, "TransferSyntaxUID",
						"unknown transfer syntax " + safeUid(header.transferSyntaxUid()));
			}
		}
		// at every level, parse included: the transfer syntax UID is stored and written into WADO-RS part headers
		// (Content-Type parameter), so it must be digits and dots, never arbitrary bytes such as CR LF
		if (!header.transferSyntaxInferred() && !ObjectKeys.isValidUid(clean(header.transferSyntaxUid()))) {
			return new Rejection(RejectionCode.INVALID_UID, "TransferSyntaxUID",
					"TransferSyntaxUID is not a valid UID (digits and dots, at most 64 characters, no leading zeros)");
		}
		String sopClass = uid(header, "SOPClassUID");
		String sopInstance = uid(header, "SOPInstanceUID");
		uid(header, "StudyInstanceUID");
		uid(header, "SeriesInstanceUID");
		if (this.level != ValidationLevel.PARSE && ImageStorageClasses.isImage(sopClass) && !header.hasPixelData()) {
			return new Rejection(RejectionCode.PIXEL_DATA_MISSING, "PixelData",
					"SOP class " + sopClass + " is an image storage class but the file has no Pixel Data");
		}
		if (this.level == ValidationLevel.STRICT) {
			if (!sopInstance.equals(clean(header.string("MediaStorageSOPInstanceUID").orElse(null)))) {
				return new Rejection(RejectionCode.NONCONFORMANT, "MediaStorageSOPInstanceUID",
						"MediaStorageSOPInstanceUID differs from SOPInstanceUID");
			}
			if (!sopClass.equals(clean(header.string("MediaStorageSOPClassUID").orElse(null)))) {
				return new Rejection(RejectionCode.NONCONFORMANT, "MediaStorageSOPClassUID",
						"MediaStorageSOPClassUID differs from SOPClassUID");
			}
			if (!header.warnings().isEmpty()) {
				// the reader's warnings name tags and offsets only, never values
				return new Rejection(RejectionCode.NONCONFORMANT, null, header.warnings().get(0));
			}
		}
		return null;
	}

	/**
	 * Checks that the pixel data's declared lengths fit in the file: a native value must end before the end
	 * of the data, an encapsulated one must be a run of complete items closed by a sequence delimiter.
	 */
	private static Rejection checkPixelLengths(DicomHeader header, InputStream pixelValue) throws IOException {
		PixelDataInfo pixel = header.pixelData().orElse(null);
		if (pixel == null) {
			return null;
		}
		long frames = declaredFrames(header);
		if (frames > ImagePixelModule.MAX_FRAMES) {
			return new Rejection(RejectionCode.PIXEL_DATA_INCONSISTENT, "NumberOfFrames",
					"NumberOfFrames " + frames + " exceeds the maximum of " + ImagePixelModule.MAX_FRAMES);
		}
		try {
			if (!pixel.encapsulated()) {
				Rejection tooShort = checkNativeLength(header, pixel, frames);
				if (tooShort != null) {
					return tooShort;
				}
				pixelValue.skipNBytes(pixel.length());
				return null;
			}
			// the first item is the Basic Offset Table; each frame takes at least one fragment (PS3.5 A.4)
			long fragments = -1;
			while (true) {
				byte[] item = pixelValue.readNBytes(8);
				if (item.length < 8) {
					return new Rejection(RejectionCode.TRUNCATED, "PixelData",
							"the encapsulated pixel data ends without a sequence delimiter");
				}
				int group = u16(item, 0);
				int element = u16(item, 2);
				long length = u32(item, 4);
				if (group == 0xFFFE && element == 0xE0DD) {
					if (fragments < frames) {
						return new Rejection(RejectionCode.PIXEL_DATA_INCONSISTENT, "NumberOfFrames", "NumberOfFrames "
								+ frames + " but the encapsulated pixel data has " + Math.max(fragments, 0)
								+ " fragments (at least one per frame)");
					}
					return null;
				}
				if (group != 0xFFFE || element != 0xE000 || length == 0xFFFFFFFFL) {
					return new Rejection(RejectionCode.MALFORMED_DICOM, "PixelData",
							"the encapsulated pixel data has an element other than an item");
				}
				pixelValue.skipNBytes(length);
				fragments++;
			}
		}
		catch (EOFException ex) {
			return new Rejection(RejectionCode.LENGTH_PAST_EOF, "PixelData",
					"the pixel data's declared length runs past the end of the file");
		}
	}

	/**
	 * NumberOfFrames as declared, 1 when absent or not a positive number (as the analysis reads it); read as a
	 * decimal so that a value beyond the int range is still seen as too large.
	 */
	private static long declaredFrames(DicomHeader header) {
		double frames = header.decimal("NumberOfFrames").orElse(1);
		if (!(frames >= 1)) {
			return 1;
		}
		return frames >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) frames;
	}

	/**
	 * Native pixel data must hold Rows x Columns x Samples per Pixel x Bits Allocated x NumberOfFrames bits (two
	 * thirds of it for YBR 4:2:2). Checked only when the attributes are there: a file missing them is not rejected
	 * here, its analysis reports what is missing.
	 */
	private static Rejection checkNativeLength(DicomHeader header, PixelDataInfo pixel, long frames) {
		int rows = header.integer("Rows").orElse(0);
		int columns = header.integer("Columns").orElse(0);
		int samples = header.integer("SamplesPerPixel").orElse(1);
		int bits = switch (pixel.tag()) {
			case 0x7FE00008 -> 32;
			case 0x7FE00009 -> 64;
			default -> header.integer("BitsAllocated").orElse(0);
		};
		if (rows <= 0 || columns <= 0 || samples <= 0 || bits <= 0) {
			return null;
		}
		java.math.BigInteger needed = java.math.BigInteger.valueOf(rows)
			.multiply(java.math.BigInteger.valueOf(columns))
			.multiply(java.math.BigInteger.valueOf(samples))
			.multiply(java.math.BigInteger.valueOf(bits))
			.multiply(java.math.BigInteger.valueOf(frames));
		String photometric = header.string("PhotometricInterpretation").orElse("").strip();
		if (photometric.endsWith("_422")) {
			needed = needed.multiply(java.math.BigInteger.TWO).divide(java.math.BigInteger.valueOf(3));
		}
		java.math.BigInteger neededBytes = needed.add(java.math.BigInteger.valueOf(7)).shiftRight(3);
		if (neededBytes.compareTo(java.math.BigInteger.valueOf(pixel.length())) > 0) {
			return new Rejection(RejectionCode.PIXEL_DATA_INCONSISTENT, "PixelData",
					"Rows x Columns x SamplesPerPixel x BitsAllocated x NumberOfFrames need " + neededBytes
							+ " bytes of pixel data, the file declares " + pixel.length());
		}
		return null;
	}

	private static Rejection parseFailure(DicomParseException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof EOFException) {
			String what = Objects.toString(cause.getMessage(), "");
			if (what.contains("of a value missing") || what.contains("bytes to skip")) {
				return new Rejection(RejectionCode.LENGTH_PAST_EOF, null,
						"an element's declared length runs past the end of the file (offset " + ex.offset() + ")");
			}
			return new Rejection(RejectionCode.TRUNCATED, null,
					"the data ends inside an element (offset " + ex.offset() + ")");
		}
		if (ex.reason().startsWith("not DICOM")) {
			return new Rejection(RejectionCode.NOT_DICOM, null, "not a DICOM file");
		}
		return new Rejection(RejectionCode.MALFORMED_DICOM, null, "not readable DICOM: " + ex.getMessage());
	}

	private static ValidatedInstance instance(DicomHeader header) {
		return new ValidatedInstance(clean(header.string("SOPClassUID").orElse(null)),
				clean(header.string("SOPInstanceUID").orElse(null)), clean(header.string("StudyInstanceUID").orElse(null)),
				clean(header.string("SeriesInstanceUID").orElse(null)), clean(header.transferSyntaxUid()), header);
	}

	private static String uid(DicomHeader header, String keyword) throws Rejection.Exception {
		String value = clean(header.string(keyword).orElse(null));
		if (value == null || value.isEmpty()) {
			throw new Rejection.Exception(RejectionCode.MISSING_ATTRIBUTE, keyword, keyword + " is missing");
		}
		if (!ObjectKeys.isValidUid(value)) {
			throw new Rejection.Exception(RejectionCode.INVALID_UID, keyword,
					keyword + " is not a valid UID (digits and dots, at most 64 characters, no leading zeros)");
		}
		return value;
	}

	static String clean(String uid) {
		return (uid != null) ? uid.replace("\0", "").strip() : null;
	}

	/** A UID fit for a message: only if it is a syntactically valid one (it is then not patient data). */
	private static String safeUid(String uid) {
		return ObjectKeys.isValidUid(uid) ? uid : "(not a valid UID)";
	}

	private static int u16(byte[] b, int at) {
		return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
	}

	private static long u32(byte[] b, int at) {
		return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xFFFFFFFFL;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Counts the bytes that pass. */
	private static final class CountingInputStream extends java.io.FilterInputStream {

		private long count;

		CountingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				this.count++;
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0) {
				this.count += n;
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			// skipped bytes must still be hashed: read them instead
			byte[] buffer = new byte[(int) Math.min(n, 8192)];
			long skipped = 0;
			while (skipped < n) {
				int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
				if (r < 0) {
					break;
				}
				skipped += r;
			}
			return skipped;
		}

		long count() {
			return this.count;
		}

	}

	/** Keeps the reader's close from closing the caller's stream before the rest is drained. */
	private static final class NonClosing extends java.io.FilterInputStream {

		NonClosing(InputStream in) {
			super(in);
		}

		@Override
		public void close() {
		}

	}

}
