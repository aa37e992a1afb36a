package io.dicomflow.common.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small DICOM Part 10 files whose header fields announce far more than the file holds (issue 12): a
 * NumberOfFrames of 2^31 - 1 over one RLE fragment, an 8192 x 8192 frame over a few bytes, a deflate bomb,
 * deep sequences. Written element by element in explicit VR little endian (the dataset deflated for the
 * deflated transfer syntax); each method says which field lies. Published in common's test-jar, so the
 * upload-service and CLI tests use the same files.
 */
public final class HostileFiles {
    public static final String EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";
    public static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    public static final String RLE = "1.2.840.10008.1.2.5";
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    public static final String SOP_INSTANCE = "1.2.826.0.1.3680043.10.1234.12.3";
    public static final String STUDY = "1.2.826.0.1.3680043.10.1234.12.1";
    public static final String SERIES = "1.2.826.0.1.3680043.10.1234.12.2";

    private static final java.util.Set<String> LONG_VRS =
            java.util.Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT");

    private HostileFiles() {
    }

    /**
     * The file of issue 12 (670 bytes here, 622 in the report): RLE Lossless, a 1 x 1 8-bit image declaring NumberOfFrames
     * 2147483647 with one fragment of one frame. Every validation level used to accept it and its analysis
     * allocated per-frame arrays of 2^31 entries.
     */
    public static byte[] rleFrameCountBomb() {
        return rle(1, 1, "2147483647", 1, false);
    }

    /**
     * RLE Lossless, 8-bit monochrome rows x columns, NumberOfFrames as given, {@code fragments} one-fragment
     * frames. Each frame is a 64-byte RLE header with one segment: a literal run of one byte (the rest of the
     * plane zero, as decoders fill short segments) or, when {@code emptySegments}, no segment bytes at all.
     */
    public static byte[] rle(int rows, int columns, String numberOfFrames, int fragments, boolean emptySegments) {
        Builder b = image(RLE, rows, columns, 8, 1, numberOfFrames);
        b.header(0x7FE00010, "OB", 0xFFFFFFFFL);
        b.item(0); // empty Basic Offset Table
        byte[] frame = new byte[emptySegments ? 64 : 66];
        frame[0] = 1; // one segment
        frame[4] = 64; // starting right after the header
        if (!emptySegments) {
            frame[64] = 0; // literal run of 1 byte
            frame[65] = 42;
        }
        for (int i = 0; i < fragments; i++) {
            b.item(frame.length).raw(frame);
        }
        b.sequenceDelimiter();
        return b.toBytes();
    }

    /**
     * Native pixel data: the Image Pixel attributes as given, a Pixel Data element declaring
     * {@code declaredLength} bytes and followed by only {@code presentBytes} bytes.
     */
    public static byte[] nativeImage(int rows, int columns, int bitsAllocated, int samples, String numberOfFrames,
                                     long declaredLength, int presentBytes) {
        Builder b = image(EXPLICIT_VR_LE, rows, columns, bitsAllocated, samples, numberOfFrames);
        b.header(0x7FE00010, bitsAllocated > 8 ? "OW" : "OB", declaredLength).raw(new byte[presentBytes]);
        return b.toBytes();
    }

    /**
     * A deflated dataset: the UIDs, then a private OB element of {@code inflatedBytes} zeros, which deflate
     * about 1000:1. The reader skips a value that large without keeping it, so only inflating costs.
     */
    public static byte[] deflateBomb(long inflatedBytes) {
        Builder b = identifying(DEFLATED);
        b.string(0x00090010, "LO", "BOMB");
        return b.header(0x00091000, "OB", inflatedBytes).zeros(inflatedBytes).toBytes();
    }

    /** {@code depth} sequences of undefined length nested in each other, never closed. */
    public static byte[] deepSequences(int depth) {
        Builder b = identifying(EXPLICIT_VR_LE);
        for (int i = 0; i < depth; i++) {
            b.header(0x00081140, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
        }
        return b.toBytes();
    }

    /** One sequence holding {@code count} empty items (8 bytes of file each). */
    public static byte[] manyEmptyItems(int count) {
        Builder b = identifying(EXPLICIT_VR_LE);
        b.header(0x00081140, "SQ", 0xFFFFFFFFL);
        for (int i = 0; i < count; i++) {
            b.item(0);
        }
        b.sequenceDelimiter();
        return b.toBytes();
    }

    /** The UIDs every upload needs, for a secondary capture image with the given image attributes. */
    public static Builder image(String transferSyntax, int rows, int columns, int bitsAllocated, int samples,
                                String numberOfFrames) {
        Builder b = identifying(transferSyntax);
        b.us(0x00280002, samples)
                .string(0x00280004, "CS", samples == 1 ? "MONOCHROME2" : "RGB");
        if (numberOfFrames != null) {
            b.string(0x00280008, "IS", numberOfFrames);
        }
        b.us(0x00280010, rows)
                .us(0x00280011, columns)
                .us(0x00280100, bitsAllocated)
                .us(0x00280101, bitsAllocated)
                .us(0x00280102, bitsAllocated - 1)
                .us(0x00280103, 0);
        return b;
    }

    private static Builder identifying(String transferSyntax) {
        return new Builder(transferSyntax)
                .ui(0x00080016, SECONDARY_CAPTURE)
                .ui(0x00080018, SOP_INSTANCE)
                .string(0x00080060, "CS", "OT")
                .ui(0x0020000D, STUDY)
                .ui(0x0020000E, SERIES);
    }

    /** Elements in the order added (callers keep tag order), explicit VR little endian. */
    public static final class Builder {
        private final String transferSyntax;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        /** Zero bytes appended to the dataset when it is written (deflate bombs without holding them). */
        private long zeros;

        public Builder(String transferSyntax) {
            this.transferSyntax = transferSyntax;
        }

        public Builder ui(int tag, String uid) {
            return element(tag, "UI", pad(uid, (byte) 0));
        }

        public Builder string(int tag, String vr, String text) {
            return element(tag, vr, pad(text, (byte) ' '));
        }

        public Builder us(int tag, int value) {
            return element(tag, "US", new byte[] {(byte) value, (byte) (value >> 8)});
        }

        public Builder element(int tag, String vr, byte[] value) {
            return header(tag, vr, value.length).raw(value);
        }

        /** An element header declaring {@code length} bytes (0xFFFFFFFF: undefined); the value is up to the caller. */
        public Builder header(int tag, String vr, long length) {
            write(data, tag, vr, length);
            return this;
        }

        /** An item (FFFE,E000) header of the given length. */
        public Builder item(long length) {
            data.writeBytes(le16(0xFFFE));
            data.writeBytes(le16(0xE000));
            data.writeBytes(le32(length));
            return this;
        }

        /** A Sequence Delimitation Item (FFFE,E0DD). */
        public Builder sequenceDelimiter() {
            data.writeBytes(le16(0xFFFE));
            data.writeBytes(le16(0xE0DD));
            data.writeBytes(le32(0));
            return this;
        }

        /** n zero bytes after everything else, streamed when the file is written (never held in memory). */
        public Builder zeros(long n) {
            this.zeros = n;
            return this;
        }

        public Builder raw(byte[] bytes) {
            data.writeBytes(bytes);
            return this;
        }

        public byte[] toBytes() {
            ByteArrayOutputStream meta = new ByteArrayOutputStream();
            write(meta, 0x00020001, "OB", 2);
            meta.writeBytes(new byte[] {0, 1});
            writeElement(meta, 0x00020002, "UI", pad(SECONDARY_CAPTURE, (byte) 0));
            writeElement(meta, 0x00020003, "UI", pad(SOP_INSTANCE, (byte) 0));
            writeElement(meta, 0x00020010, "UI", pad(transferSyntax, (byte) 0));
            writeElement(meta, 0x00020012, "UI", pad("1.2.826.0.1.3680043.10.1234", (byte) 0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[128]);
            out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
            byte[] metaBytes = meta.toByteArray();
            writeElement(out, 0x00020000, "UL", le32(metaBytes.length));
            out.writeBytes(metaBytes);
            try {
                if (transferSyntax.equals(DEFLATED)) {
                    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
                    try (OutputStream deflated = new DeflaterOutputStream(out, deflater, 1 << 16)) {
                        writeDataset(deflated);
                    } finally {
                        deflater.end();
                    }
                } else {
                    writeDataset(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in-memory streams
            }
            return out.toByteArray();
        }

        private void writeDataset(OutputStream out) throws IOException {
            out.write(data.toByteArray());
            byte[] chunk = new byte[1 << 16];
            for (long left = zeros; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
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
        } else {
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
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
