package io.dicomflow.common.dicom;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A transfer syntax (PS3.5 section 10 and annex A) and how its dataset is encoded. Unknown UIDs are
 * treated as explicit VR little endian with encapsulated pixel data, which is what every transfer
 * syntax defined after the first three is (PS3.5 A.4), so their metadata can still be read.
 *
 * @param uid          the Transfer Syntax UID
 * @param name         the PS3.6 name
 * @param explicitVr   whether elements carry their VR
 * @param bigEndian    whether numbers are big endian (only the retired 1.2.840.10008.1.2.2)
 * @param deflated     whether the dataset after the File Meta Information is a raw deflate stream
 * @param encapsulated whether Pixel Data is a sequence of compressed fragments
 * @param codec        which compression the fragments use
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated, Codec codec) {

    /** Compression families of encapsulated pixel data. */
    public enum Codec {
        NONE, RLE, JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LS, JPEG_2000, HTJ2K, MPEG, DEFLATE_FRAME, UNKNOWN
    }

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            nat("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            nat("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            nat("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, false);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            nat("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true);

    private static final Map<String, TransferSyntax> KNOWN = Stream.of(
            IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN,
            DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
            enc("1.2.840.10008.1.2.5", "RLE Lossless", Codec.RLE),
            enc("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", Codec.JPEG_BASELINE),
            enc("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", Codec.JPEG_EXTENDED),
            enc("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", Codec.JPEG_LOSSLESS),
            enc("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)",
                    Codec.JPEG_LOSSLESS),
            enc("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", Codec.JPEG_LS),
            enc("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", Codec.JPEG_LS),
            enc("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", Codec.JPEG_2000),
            enc("1.2.840.10008.1.2.4.91", "JPEG 2000", Codec.JPEG_2000),
            enc("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", Codec.JPEG_2000),
            enc("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", Codec.JPEG_2000),
            enc("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", Codec.HTJ2K),
            enc("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (Lossless Only)", Codec.HTJ2K),
            enc("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", Codec.HTJ2K),
            enc("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", Codec.MPEG),
            enc("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", Codec.MPEG),
            enc("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", Codec.MPEG),
            enc("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", Codec.MPEG),
            enc("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", Codec.DEFLATE_FRAME)
    ).collect(Collectors.toUnmodifiableMap(TransferSyntax::uid, Function.identity()));

    private static TransferSyntax nat(String uid, String name, boolean explicit, boolean big, boolean deflated) {
        return new TransferSyntax(uid, name, explicit, big, deflated, false, Codec.NONE);
    }

    private static TransferSyntax enc(String uid, String name, Codec codec) {
        return new TransferSyntax(uid, name, true, false, false, true, codec);
    }

    /** The transfer syntax of a UID (trailing NUL/space padding removed). */
    public static TransferSyntax of(String uid) {
        String clean = uid == null ? "" : uid.strip().replace("\0", "");
        TransferSyntax known = KNOWN.get(clean);
        if (known != null) {
            return known;
        }
        return new TransferSyntax(clean, "Unknown transfer syntax", true, false, false, true, Codec.UNKNOWN);
    }

    public boolean isKnown() {
        return KNOWN.containsKey(uid);
    }

    /** The same encoding with the other VR form; used when a file declares one and uses the other. */
    TransferSyntax withExplicitVr(boolean explicit) {
        return new TransferSyntax(uid, name, explicit, bigEndian, deflated, encapsulated, codec);
    }
}
