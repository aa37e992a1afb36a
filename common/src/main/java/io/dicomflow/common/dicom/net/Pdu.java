package io.dicomflow.common.dicom.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One PDU as read from the wire (PS3.8 9.3): its type and its variable field. The reader bounds the length
 * field before allocating: P-DATA-TF by the maximum length this side announced, every other PDU by a fixed cap
 * (an A-ASSOCIATE-RQ with hundreds of presentation contexts is still far below it).
 *
 * @param type the PDU type (first byte)
 * @param body the variable field, {@code length} bytes
 * @param length how many bytes of {@code body} are the PDU's (the buffer may be reused and larger)
 */
public record Pdu(int type, byte[] body, int length) {

    public static final int ASSOCIATE_RQ = 0x01;
    public static final int ASSOCIATE_AC = 0x02;
    public static final int ASSOCIATE_RJ = 0x03;
    public static final int P_DATA_TF = 0x04;
    public static final int RELEASE_RQ = 0x05;
    public static final int RELEASE_RP = 0x06;
    public static final int ABORT = 0x07;

    /** Largest variable field of a PDU other than P-DATA-TF this reader accepts. */
    public static final int MAX_CONTROL_LENGTH = 256 * 1024;

    /**
     * Reads one PDU.
     *
     * @param in the association's stream
     * @param maxPDataLength the maximum P-DATA-TF length this side announced (its buffer is reused when large enough)
     * @param buffer a buffer to reuse for P-DATA-TF bodies, or null
     * @return the PDU, or null if the stream ended cleanly before its first byte
     * @throws PduException an unknown type or a length over the bound
     * @throws EOFException the stream ended inside the PDU
     */
    public static Pdu read(InputStream in, int maxPDataLength, byte[] buffer) throws IOException, PduException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] header = new byte[5];
        readFully(in, header, 0, 5);
        long length = ((header[1] & 0xFFL) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                | (header[4] & 0xFF);
        if (first < ASSOCIATE_RQ || first > ABORT) {
            throw new PduException(PduException.UNRECOGNIZED_PDU, "unknown PDU type " + first);
        }
        long cap = first == P_DATA_TF ? maxPDataLength : MAX_CONTROL_LENGTH;
        if (length > cap) {
            throw new PduException(PduException.INVALID_PARAMETER,
                    "PDU type " + first + " of " + length + " bytes exceeds the limit of " + cap);
        }
        int n = (int) length;
        byte[] body = first == P_DATA_TF && buffer != null && buffer.length >= n ? buffer : new byte[n];
        readFully(in, body, 0, n);
        return new Pdu(first, body, n);
    }

    /** Writes a PDU: type, reserved byte, 4-byte length, the variable field. */
    public static void write(OutputStream out, int type, byte[] body, int offset, int length) throws IOException {
        out.write(new byte[] {(byte) type, 0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
            (byte) length});
        out.write(body, offset, length);
    }

    /** A-RELEASE-RQ or -RP (four reserved bytes). */
    public static byte[] release(int type) {
        return new byte[] {(byte) type, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    }

    /**
     * A-ABORT.
     *
     * @param source 0 service user, 2 service provider
     * @param reason with source 2, a {@link PduException} reason; else 0
     */
    public static byte[] abort(int source, int reason) {
        return new byte[] {ABORT, 0, 0, 0, 0, 4, 0, 0, (byte) source, (byte) reason};
    }

    /**
     * A-ASSOCIATE-RJ (PS3.8 9.3.4).
     *
     * @param result 1 rejected-permanent, 2 rejected-transient
     * @param source 1 service user, 2 service provider (ACSE), 3 service provider (presentation)
     * @param reason the reason for that source, e.g. 3 calling AE title not recognized
     */
    public static byte[] reject(int result, int source, int reason) {
        return new byte[] {ASSOCIATE_RJ, 0, 0, 0, 0, 4, 0, (byte) result, (byte) source, (byte) reason};
    }

    static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int r = in.read(b, off, len);
            if (r < 0) {
                throw new EOFException("the association's stream ended inside a PDU");
            }
            off += r;
            len -= r;
        }
    }
}
