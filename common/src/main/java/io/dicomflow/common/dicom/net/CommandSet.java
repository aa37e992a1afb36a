package io.dicomflow.common.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (PS3.7 6.3, E.1): group 0000 elements, always Implicit VR Little Endian, whatever the
 * presentation context's transfer syntax. Values are kept as bytes and read by the VR the caller knows the tag
 * has (US for the numeric fields, UI/AE/LO for the strings).
 */
public final class CommandSet {

    public static final int AFFECTED_SOP_CLASS_UID = 0x0000_0002;
    public static final int COMMAND_FIELD = 0x0000_0100;
    public static final int MESSAGE_ID = 0x0000_0110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x0000_0120;
    public static final int PRIORITY = 0x0000_0700;
    public static final int COMMAND_DATA_SET_TYPE = 0x0000_0800;
    public static final int STATUS = 0x0000_0900;
    public static final int ERROR_COMMENT = 0x0000_0902;
    public static final int AFFECTED_SOP_INSTANCE_UID = 0x0000_1000;
    public static final int MOVE_ORIGINATOR_AE = 0x0000_1030;
    public static final int MOVE_ORIGINATOR_MESSAGE_ID = 0x0000_1031;

    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;

    /** Command Data Set Type value meaning "no dataset follows" (any other value: one does). */
    public static final int NO_DATA_SET = 0x0101;

    /** Largest encoded command set accepted: real ones are a few hundred bytes. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final int MAX_ELEMENTS = 256;

    private final Map<Integer, byte[]> elements;

    private CommandSet(Map<Integer, byte[]> elements) {
        this.elements = elements;
    }

    /** A command set to encode, elements added with the setters below. */
    public static CommandSet create() {
        return new CommandSet(new TreeMap<>(Integer::compareUnsigned));
    }

    public static CommandSet decode(byte[] b, int length) throws PduException {
        if (length > MAX_LENGTH) {
            throw new PduException(PduException.INVALID_PARAMETER, "command set of " + length + " bytes");
        }
        Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);
        int pos = 0;
        while (pos < length) {
            if (pos + 8 > length) {
                throw new PduException(PduException.INVALID_PARAMETER, "command element header past the end");
            }
            int group = (b[pos] & 0xFF) | ((b[pos + 1] & 0xFF) << 8);
            int element = (b[pos + 2] & 0xFF) | ((b[pos + 3] & 0xFF) << 8);
            long valueLength = (b[pos + 4] & 0xFFL) | ((b[pos + 5] & 0xFFL) << 8) | ((b[pos + 6] & 0xFFL) << 16)
                    | ((b[pos + 7] & 0xFFL) << 24);
            if (group != 0) {
                throw new PduException(PduException.INVALID_PARAMETER, "command element of group "
                        + Integer.toHexString(group));
            }
            if (valueLength > length - pos - 8) {
                throw new PduException(PduException.INVALID_PARAMETER, "command element value of " + valueLength
                        + " bytes runs past the command");
            }
            if (elements.size() >= MAX_ELEMENTS) {
                throw new PduException(PduException.INVALID_PARAMETER, "too many command elements");
            }
            byte[] value = new byte[(int) valueLength];
            System.arraycopy(b, pos + 8, value, 0, value.length);
            elements.put(element, value);
            pos += 8 + (int) valueLength;
        }
        return new CommandSet(elements);
    }

    public boolean has(int tag) {
        return elements.containsKey(tag);
    }

    /** A US value, or -1 when absent or not two bytes. */
    public int uint16(int tag) {
        byte[] v = elements.get(tag);
        return v == null || v.length != 2 ? -1 : (v[0] & 0xFF) | ((v[1] & 0xFF) << 8);
    }

    /** A string value with trailing NUL/space padding removed, or null when absent. */
    public String string(int tag) {
        byte[] v = elements.get(tag);
        if (v == null) {
            return null;
        }
        int end = v.length;
        while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
            end--;
        }
        return new String(v, 0, end, StandardCharsets.US_ASCII);
    }

    public CommandSet uint16(int tag, int value) {
        elements.put(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
        return this;
    }

    /** A UI value: padded with NUL to even length. */
    public CommandSet uid(int tag, String value) {
        return text(tag, value, (byte) 0);
    }

    /** An LO/AE value: padded with a space to even length. */
    public CommandSet text(int tag, String value) {
        return text(tag, value, (byte) ' ');
    }

    private CommandSet text(int tag, String value, byte pad) {
        byte[] raw = value.getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[raw.length + (raw.length & 1)];
        System.arraycopy(raw, 0, v, 0, raw.length);
        if (v.length > raw.length) {
            v[raw.length] = pad;
        }
        elements.put(tag, v);
        return this;
    }

    /** Encodes the command set, Command Group Length (0000,0000) first. */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
            if (e.getKey() != 0) {
                element(body, e.getKey(), e.getValue());
            }
        }
        byte[] rest = body.toByteArray();
        ByteArrayOutputStream all = new ByteArrayOutputStream(12 + rest.length);
        int n = rest.length;
        element(all, 0, new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        all.writeBytes(rest);
        return all.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int element, byte[] value) {
        int n = value.length;
        out.writeBytes(new byte[] {0, 0, (byte) element, (byte) (element >>> 8), (byte) n, (byte) (n >>> 8),
            (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(value);
    }

    public Map<Integer, byte[]> elements() {
        return Collections.unmodifiableMap(elements);
    }

    /**
     * Sends a message part as P-DATA-TF PDUs of one PDV each, no PDU longer than the peer's Maximum Length
     * Received.
     *
     * @param peerMaxPDataLength the peer's Maximum Length Received, 0 for unlimited
     */
    public static void send(OutputStream out, int contextId, boolean command, byte[] data, long peerMaxPDataLength)
            throws IOException {
        // 0 is "no limit"; stay with PDUs of a sensible size anyway
        long max = peerMaxPDataLength == 0 ? 1 << 16 : peerMaxPDataLength;
        int chunk = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, max - 6));
        int pos = 0;
        do {
            int n = Math.min(chunk, data.length - pos);
            boolean last = pos + n == data.length;
            int itemLength = n + 2;
            byte[] header = {(byte) (itemLength >>> 24), (byte) (itemLength >>> 16), (byte) (itemLength >>> 8),
                (byte) itemLength, (byte) contextId, (byte) ((command ? 1 : 0) | (last ? 2 : 0))};
            int pduLength = 6 + n;
            out.write(new byte[] {Pdu.P_DATA_TF, 0, (byte) (pduLength >>> 24), (byte) (pduLength >>> 16),
                (byte) (pduLength >>> 8), (byte) pduLength});
            out.write(header);
            out.write(data, pos, n);
            pos += n;
        } while (pos < data.length);
        out.flush();
    }
}
