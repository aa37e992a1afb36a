package io.dicomflow.common.dicom.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Storage SCU for tests, so the Storage SCP is covered on a plain JDK (without DCMTK): it encodes its
 * own A-ASSOCIATE-RQ and C-STORE/C-ECHO requests (independently of the SCP's decoder, from PS3.8/PS3.7) and
 * decodes the answers. Datasets are sent in PDVs of a chosen size, so fragmentation is exercised.
 */
public final class MinimalScu implements Closeable {

    /** A proposed presentation context. */
    public record Proposal(int id, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /**
     * The acceptor's answer: {@code rejected} with its result/source/reason, or the accepted contexts
     * (id → transfer syntax) and all results (id → result).
     */
    public record Answer(boolean rejected, int result, int source, int reason, Map<Integer, String> accepted,
            Map<Integer, Integer> results, long maxPDataLength) {
    }

    /** A DIMSE response: status and error comment. */
    public record Response(int status, String errorComment, int messageIdRespondedTo, String affectedSopInstance) {
    }

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private Answer answer;
    private int messageId = 1;

    public MinimalScu(String host, int port) throws IOException {
        this(javax.net.SocketFactory.getDefault(), host, port);
    }

    /**
     * Connects with {@code sockets}, e.g. an {@link javax.net.ssl.SSLSocketFactory} for the DICOM TLS profile; a TLS
     * handshake is completed here, so a refused one fails the constructor.
     */
    public MinimalScu(javax.net.SocketFactory sockets, String host, int port) throws IOException {
        this.socket = sockets.createSocket(host, port);
        if (this.socket instanceof javax.net.ssl.SSLSocket tls) {
            tls.setSoTimeout(30_000);
            try {
                tls.startHandshake();
            } catch (IOException ex) {
                tls.close();
                throw ex;
            }
        }
        this.socket.setSoTimeout(30_000);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** Sends an A-ASSOCIATE-RQ and reads the AC or RJ. */
    public Answer associate(String callingAe, String calledAe, List<Proposal> proposals, long maxPDataLength)
            throws IOException {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii("1.2.840.10008.3.1.1.1"));
        for (Proposal p : proposals) {
            ByteArrayOutputStream pc = new ByteArrayOutputStream();
            pc.write(p.id());
            pc.writeBytes(new byte[3]);
            item(pc, 0x30, ascii(p.abstractSyntax()));
            for (String ts : p.transferSyntaxes()) {
                item(pc, 0x40, ascii(ts));
            }
            item(items, 0x20, pc.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, new byte[] {(byte) (maxPDataLength >>> 24), (byte) (maxPDataLength >>> 16),
            (byte) (maxPDataLength >>> 8), (byte) maxPDataLength});
        item(user, 0x52, ascii("1.2.3.4.5"));
        item(items, 0x50, user.toByteArray());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0});
        body.writeBytes(ae(calledAe));
        body.writeBytes(ae(callingAe));
        body.writeBytes(new byte[32]);
        body.writeBytes(items.toByteArray());
        sendPdu(1, body.toByteArray());
        int[] type = new int[1];
        byte[] rsp = readPdu(type);
        if (type[0] == 3) {
            answer = new Answer(true, rsp[1] & 0xFF, rsp[2] & 0xFF, rsp[3] & 0xFF, Map.of(), Map.of(), 0);
            return answer;
        }
        if (type[0] != 2) {
            throw new IOException("expected A-ASSOCIATE-AC, got PDU type " + type[0]);
        }
        Map<Integer, String> accepted = new LinkedHashMap<>();
        Map<Integer, Integer> results = new LinkedHashMap<>();
        long peerMax = 0;
        int pos = 68;
        while (pos < rsp.length) {
            int t = rsp[pos] & 0xFF;
            int len = ((rsp[pos + 2] & 0xFF) << 8) | (rsp[pos + 3] & 0xFF);
            int s = pos + 4;
            if (t == 0x21) {
                int id = rsp[s] & 0xFF;
                int result = rsp[s + 2] & 0xFF;
                int tsLen = ((rsp[s + 6] & 0xFF) << 8) | (rsp[s + 7] & 0xFF);
                results.put(id, result);
                if (result == 0) {
                    accepted.put(id, new String(rsp, s + 8, tsLen, StandardCharsets.US_ASCII));
                }
            } else if (t == 0x50) {
                int sub = s;
                while (sub < s + len) {
                    int st = rsp[sub] & 0xFF;
                    int sl = ((rsp[sub + 2] & 0xFF) << 8) | (rsp[sub + 3] & 0xFF);
                    if (st == 0x51) {
                        peerMax = ((rsp[sub + 4] & 0xFFL) << 24) | ((rsp[sub + 5] & 0xFF) << 16)
                                | ((rsp[sub + 6] & 0xFF) << 8) | (rsp[sub + 7] & 0xFF);
                    }
                    sub += 4 + sl;
                }
            }
            pos = s + len;
        }
        answer = new Answer(false, 0, 0, 0, accepted, results, peerMax);
        return answer;
    }

    public Response echo(int contextId) throws IOException {
        byte[] command = command(0x0030, VERIFICATION, null, true);
        sendPdvs(contextId, true, command, 1 << 20);
        return readResponse();
    }

    /** Sends a C-STORE-RQ and its dataset in PDVs of at most {@code fragment} bytes, and reads the response. */
    public Response store(int contextId, String sopClass, String sopInstance, byte[] dataset, int fragment)
            throws IOException {
        sendPdvs(contextId, true, command(0x0001, sopClass, sopInstance, false), fragment);
        sendPdvs(contextId, false, dataset, fragment);
        return readResponse();
    }

    /** Sends raw bytes (a hostile test's PDU). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A-RELEASE-RQ; true when the A-RELEASE-RP came back. */
    public boolean release() throws IOException {
        sendPdu(5, new byte[4]);
        int[] type = new int[1];
        readPdu(type);
        return type[0] == 6;
    }

    /** Reads the next PDU's type (e.g. to see an A-ABORT); -1 when the connection is closed. */
    public int nextPduType() throws IOException {
        int[] type = new int[1];
        try {
            readPdu(type);
        } catch (java.io.EOFException ex) {
            return -1;
        }
        return type[0];
    }

    public void abort() throws IOException {
        sendPdu(7, new byte[4]);
    }

    private byte[] command(int field, String sopClass, String sopInstance, boolean noDataSet) {
        CommandSet c = CommandSet.create()
                .uid(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass)
                .uint16(CommandSet.COMMAND_FIELD, field)
                .uint16(CommandSet.MESSAGE_ID, messageId++)
                .uint16(CommandSet.COMMAND_DATA_SET_TYPE, noDataSet ? 0x0101 : 0x0000);
        if (field == 0x0001) {
            c.uint16(CommandSet.PRIORITY, 0);
        }
        if (sopInstance != null) {
            c.uid(CommandSet.AFFECTED_SOP_INSTANCE_UID, sopInstance);
        }
        return c.encode();
    }

    private Response readResponse() throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        while (true) {
            int[] type = new int[1];
            byte[] body = readPdu(type);
            if (type[0] != 4) {
                throw new IOException("expected P-DATA-TF, got PDU type " + type[0]);
            }
            try {
                for (Pdv pdv : Pdv.split(body, body.length)) {
                    command.write(pdv.body(), pdv.offset(), pdv.length());
                    if (pdv.last()) {
                        byte[] bytes = command.toByteArray();
                        CommandSet rsp = CommandSet.decode(bytes, bytes.length);
                        return new Response(rsp.uint16(CommandSet.STATUS), rsp.string(CommandSet.ERROR_COMMENT),
                                rsp.uint16(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO),
                                rsp.string(CommandSet.AFFECTED_SOP_INSTANCE_UID));
                    }
                }
            } catch (PduException ex) {
                throw new IOException(ex);
            }
        }
    }

    private void sendPdvs(int contextId, boolean command, byte[] data, int fragment) throws IOException {
        long peerMax = answer.maxPDataLength() == 0 ? Integer.MAX_VALUE : answer.maxPDataLength();
        int chunk = (int) Math.min(fragment, peerMax - 6);
        int pos = 0;
        do {
            int n = Math.min(chunk, data.length - pos);
            boolean last = pos + n == data.length;
            ByteArrayOutputStream pdv = new ByteArrayOutputStream(n + 6);
            int len = n + 2;
            pdv.writeBytes(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len,
                (byte) contextId, (byte) ((command ? 1 : 0) | (last ? 2 : 0))});
            pdv.write(data, pos, n);
            sendPdu(4, pdv.toByteArray());
            pos += n;
        } while (pos < data.length);
    }

    private void sendPdu(int type, byte[] body) throws IOException {
        int n = body.length;
        out.write(new byte[] {(byte) type, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(body);
        out.flush();
    }

    private byte[] readPdu(int[] type) throws IOException {
        type[0] = in.readUnsignedByte();
        in.readUnsignedByte();
        int length = in.readInt();
        if (length < 0 || length > 1 << 24) {
            throw new IOException("PDU length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ae(String title) {
        byte[] field = new byte[16];
        Arrays.fill(field, (byte) ' ');
        byte[] v = ascii(title);
        System.arraycopy(v, 0, field, 0, Math.min(16, v.length));
        return field;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A Part 10 file split into what a C-STORE sends: the dataset after the File Meta Information, and the meta
     * information's SOP class, instance and transfer syntax.
     */
    public record Part10(String sopClass, String sopInstance, String transferSyntax, byte[] dataset) {

        public static Part10 of(byte[] file) {
            if (file.length < 144 || !new String(file, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
                throw new IllegalArgumentException("not a Part 10 file");
            }
            Map<Integer, String> meta = new LinkedHashMap<>();
            int pos = 132;
            while (pos + 8 <= file.length && (file[pos] & 0xFF) == 2 && file[pos + 1] == 0) {
                int element = (file[pos + 2] & 0xFF) | ((file[pos + 3] & 0xFF) << 8);
                String vr = new String(file, pos + 4, 2, StandardCharsets.US_ASCII);
                int len;
                int value;
                if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")) {
                    len = (file[pos + 8] & 0xFF) | ((file[pos + 9] & 0xFF) << 8) | ((file[pos + 10] & 0xFF) << 16)
                            | ((file[pos + 11] & 0xFF) << 24);
                    value = pos + 12;
                } else {
                    len = (file[pos + 6] & 0xFF) | ((file[pos + 7] & 0xFF) << 8);
                    value = pos + 8;
                }
                meta.put(element, new String(file, value, len, StandardCharsets.US_ASCII).replace("\0", "").strip());
                pos = value + len;
            }
            return new Part10(meta.get(0x0002), meta.get(0x0003), meta.get(0x0010),
                    Arrays.copyOfRange(file, pos, file.length));
        }
    }

    /** Reads all of a stream (for tests that pipe a file). */
    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
