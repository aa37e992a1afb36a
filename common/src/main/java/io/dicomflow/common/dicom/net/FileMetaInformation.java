package io.dicomflow.common.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Part 10 header (PS3.10 7.1: 128-byte preamble, "DICM", File Meta Information group 0002 in Explicit VR
 * Little Endian) for a dataset received over the network, which carries none: the transfer syntax is the
 * presentation context's, SOP class and instance come from the C-STORE command, the source is the calling AE.
 * Prepended to the received bytes, it makes the same kind of file an HTTP upload sends.
 */
public final class FileMetaInformation {

    /** This implementation's class UID (a UUID-derived UID, PS3.5 B.2). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.301364476767148173201120908725635807168";

    /** This implementation's version name (SH, at most 16 characters). */
    public static final String IMPLEMENTATION_VERSION = "DICOMFLOW_1";

    private FileMetaInformation() {
    }

    public static byte[] encode(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
            String sourceAe) {
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        element(group, 0x0001, "OB", new byte[] {0, 1});
        element(group, 0x0002, "UI", padded(sopClassUid, (byte) 0));
        element(group, 0x0003, "UI", padded(sopInstanceUid, (byte) 0));
        element(group, 0x0010, "UI", padded(transferSyntaxUid, (byte) 0));
        element(group, 0x0012, "UI", padded(IMPLEMENTATION_CLASS_UID, (byte) 0));
        element(group, 0x0013, "SH", padded(IMPLEMENTATION_VERSION, (byte) ' '));
        if (sourceAe != null && !sourceAe.isEmpty()) {
            element(group, 0x0016, "AE", padded(sourceAe, (byte) ' '));
        }
        byte[] rest = group.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 4 + 12 + rest.length);
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        int n = rest.length;
        element(out, 0x0000, "UL", new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(rest);
        return out.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
        out.writeBytes(new byte[] {2, 0, (byte) element, (byte) (element >>> 8)});
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        int n = value.length;
        if (vr.equals("OB")) {
            // OB has a reserved 2 bytes and a 4-byte length (PS3.5 7.1.2)
            out.writeBytes(new byte[] {0, 0, (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        } else {
            out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8)});
        }
        out.writeBytes(value);
    }

    private static byte[] padded(String value, byte pad) {
        byte[] raw = value.getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[raw.length + (raw.length & 1)];
        System.arraycopy(raw, 0, v, 0, raw.length);
        if (v.length > raw.length) {
            v[raw.length] = pad;
        }
        return v;
    }
}
