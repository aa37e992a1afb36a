package io.dicomflow.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes minimal Part 10 files with native 16-bit signed pixel data (explicit VR little endian) for the
 * throughput benchmarks: CT-like values between -1024 and 3071 in a 12-bit range.
 */
final class SyntheticDicom {
    private SyntheticDicom() {
    }

    static Path write(Path file, int rows, int columns, int frames, long seed) throws IOException {
        return write(file, rows, columns, frames, seed, null);
    }

    /**
     * The same with SOP Instance, Study and Series Instance UIDs {@code uidRoot.1}, {@code uidRoot.2},
     * {@code uidRoot.3} (the upload validation requires them; a root per file keeps every upload a new
     * instance); a null root writes no UIDs.
     */
    static Path write(Path file, int rows, int columns, int frames, long seed, String uidRoot) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
            out.write(new byte[128]);
            out.writeBytes("DICM");
            byte[] meta = metaElements(uidRoot == null ? "1.2.826.0.1.3680043.9.4245.1" : uidRoot + ".1");
            element(out, 0x0002, 0x0000, "UL", le32(meta.length));
            out.write(meta);
            element(out, 0x0008, 0x0016, "UI", text("1.2.840.10008.5.1.4.1.1.2", '\0'));
            if (uidRoot != null) {
                element(out, 0x0008, 0x0018, "UI", text(uidRoot + ".1", '\0'));
            }
            element(out, 0x0008, 0x0060, "CS", text("CT", ' '));
            element(out, 0x0010, 0x0010, "PN", text("Synthetic^Benchmark", ' '));
            if (uidRoot != null) {
                element(out, 0x0020, 0x000D, "UI", text(uidRoot + ".2", '\0'));
                element(out, 0x0020, 0x000E, "UI", text(uidRoot + ".3", '\0'));
            }
            element(out, 0x0028, 0x0002, "US", le16(1));
            element(out, 0x0028, 0x0004, "CS", text("MONOCHROME2", ' '));
            if (frames > 1) {
                element(out, 0x0028, 0x0008, "IS", text(Integer.toString(frames), ' '));
            }
            element(out, 0x0028, 0x0010, "US", le16(rows));
            element(out, 0x0028, 0x0011, "US", le16(columns));
            element(out, 0x0028, 0x0100, "US", le16(16));
            element(out, 0x0028, 0x0101, "US", le16(12));
            element(out, 0x0028, 0x0102, "US", le16(11));
            element(out, 0x0028, 0x0103, "US", le16(1));
            element(out, 0x0028, 0x1052, "DS", text("-1024", ' '));
            element(out, 0x0028, 0x1053, "DS", text("1", ' '));
            long length = 2L * rows * columns * frames;
            tag(out, 0x7FE0, 0x0010);
            out.writeBytes("OW");
            out.writeShort(0);
            out.write(le32((int) length));
            Random random = new Random(seed);
            byte[] frame = new byte[2 * rows * columns];
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < rows * columns; i++) {
                    int v = (int) Math.max(-1024, Math.min(3071, random.nextGaussian() * 600));
                    frame[2 * i] = (byte) v;
                    frame[2 * i + 1] = (byte) (v >> 8);
                }
                out.write(frame);
            }
        }
        return file;
    }

    /** MPEG2 Main Profile: a transfer syntax the upload validation knows (so accepts) and no decoder reads. */
    static final String UNDECODABLE_TRANSFER_SYNTAX = "1.2.840.10008.1.2.4.100";

    /**
     * A valid Part 10 file the analysis cannot decode (a "poison" file for bench/faults): encapsulated pixel
     * data under {@link #UNDECODABLE_TRANSFER_SYNTAX}, well-formed items (empty offset table, one fragment,
     * sequence delimiter), so the upload validation accepts it and every analysis attempt fails the same way
     * (UNSUPPORTED_IMAGE), whichever worker takes it.
     */
    static Path writeUndecodable(Path file, String uidRoot) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.write(new byte[128]);
            out.writeBytes("DICM");
            byte[] meta = metaElements(uidRoot + ".1", UNDECODABLE_TRANSFER_SYNTAX);
            element(out, 0x0002, 0x0000, "UL", le32(meta.length));
            out.write(meta);
            element(out, 0x0008, 0x0016, "UI", text("1.2.840.10008.5.1.4.1.1.2", '\0'));
            element(out, 0x0008, 0x0018, "UI", text(uidRoot + ".1", '\0'));
            element(out, 0x0008, 0x0060, "CS", text("CT", ' '));
            element(out, 0x0020, 0x000D, "UI", text(uidRoot + ".2", '\0'));
            element(out, 0x0020, 0x000E, "UI", text(uidRoot + ".3", '\0'));
            element(out, 0x0028, 0x0002, "US", le16(1));
            element(out, 0x0028, 0x0004, "CS", text("MONOCHROME2", ' '));
            element(out, 0x0028, 0x0010, "US", le16(64));
            element(out, 0x0028, 0x0011, "US", le16(64));
            element(out, 0x0028, 0x0100, "US", le16(8));
            element(out, 0x0028, 0x0101, "US", le16(8));
            element(out, 0x0028, 0x0102, "US", le16(7));
            element(out, 0x0028, 0x0103, "US", le16(0));
            tag(out, 0x7FE0, 0x0010);
            out.writeBytes("OB");
            out.writeShort(0);
            out.write(le32(-1));
            tag(out, 0xFFFE, 0xE000);
            out.write(le32(0));
            byte[] fragment = new byte[256];
            new Random(uidRoot.hashCode()).nextBytes(fragment);
            tag(out, 0xFFFE, 0xE000);
            out.write(le32(fragment.length));
            out.write(fragment);
            tag(out, 0xFFFE, 0xE0DD);
            out.write(le32(0));
        }
        return file;
    }

    private static byte[] metaElements(String sopInstanceUid) throws IOException {
        return metaElements(sopInstanceUid, "1.2.840.10008.1.2.1");
    }

    private static byte[] metaElements(String sopInstanceUid, String transferSyntax) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        element(out, 0x0002, 0x0001, "OB", new byte[] {0, 1});
        element(out, 0x0002, 0x0002, "UI", text("1.2.840.10008.5.1.4.1.1.2", '\0'));
        element(out, 0x0002, 0x0003, "UI", text(sopInstanceUid, '\0'));
        element(out, 0x0002, 0x0010, "UI", text(transferSyntax, '\0'));
        return b.toByteArray();
    }

    private static void element(DataOutputStream out, int group, int element, String vr, byte[] value)
            throws IOException {
        tag(out, group, element);
        out.writeBytes(vr);
        if (vr.equals("OB") || vr.equals("OW")) {
            out.writeShort(0);
            out.write(le32(value.length));
        } else {
            out.write(le16(value.length));
        }
        out.write(value);
    }

    private static void tag(DataOutputStream out, int group, int element) throws IOException {
        out.write(le16(group));
        out.write(le16(element));
    }

    private static byte[] text(String s, char pad) {
        String v = s.length() % 2 == 0 ? s : s + pad;
        return v.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
