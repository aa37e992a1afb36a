package io.dicomflow.common.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An A-ASSOCIATE-AC to send (PS3.8 9.3.3): the answer to each proposed presentation context and this side's
 * user information.
 *
 * @param calledAe echoed from the request
 * @param callingAe echoed from the request
 * @param contexts one answer per proposed context, in the request's order
 * @param maxPDataLength the Maximum Length Received of this side (0: unlimited)
 * @param implementationClassUid this implementation's class UID
 * @param implementationVersion this implementation's version name (at most 16 characters)
 */
public record AssociateAccept(String calledAe, String callingAe, List<AcceptedContext> contexts,
        long maxPDataLength, String implementationClassUid, String implementationVersion) {

    /** Presentation context result: acceptance. */
    public static final int ACCEPTANCE = 0;
    /** Presentation context result: provider rejection, no reason. */
    public static final int NO_REASON = 2;
    /** Presentation context result: abstract syntax not supported. */
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    /** Presentation context result: none of the transfer syntaxes supported. */
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    /**
     * @param id the proposed context id
     * @param result {@link #ACCEPTANCE} or a rejection reason
     * @param transferSyntax the accepted transfer syntax; for a rejection, one of the proposed ones (PS3.8 9.3.3.2:
     * not significant, but present)
     * @param abstractSyntax the proposal's abstract syntax (not sent; kept for the association's use)
     */
    public record AcceptedContext(int id, int result, String transferSyntax, String abstractSyntax) {

        public boolean accepted() {
            return result == ACCEPTANCE;
        }
    }

    /** The whole PDU, header included. */
    public byte[] encode() {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii(AssociateRequest.DICOM_APPLICATION_CONTEXT));
        for (AcceptedContext c : contexts) {
            ByteArrayOutputStream pc = new ByteArrayOutputStream();
            pc.write(c.id());
            pc.write(0);
            pc.write(c.result());
            pc.write(0);
            item(pc, 0x40, ascii(c.transferSyntax()));
            item(items, 0x21, pc.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, new byte[] {(byte) (maxPDataLength >>> 24), (byte) (maxPDataLength >>> 16),
            (byte) (maxPDataLength >>> 8), (byte) maxPDataLength});
        item(user, 0x52, ascii(implementationClassUid));
        item(user, 0x55, ascii(implementationVersion));
        item(items, 0x50, user.toByteArray());
        byte[] variable = items.toByteArray();
        int length = 68 + variable.length;
        ByteArrayOutputStream pdu = new ByteArrayOutputStream(6 + length);
        pdu.writeBytes(new byte[] {Pdu.ASSOCIATE_AC, 0, (byte) (length >>> 24), (byte) (length >>> 16),
            (byte) (length >>> 8), (byte) length, 0, 1, 0, 0});
        pdu.writeBytes(aeField(calledAe));
        pdu.writeBytes(aeField(callingAe));
        pdu.writeBytes(new byte[32]);
        pdu.writeBytes(variable);
        return pdu.toByteArray();
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

    /** An AE title field: 16 bytes, space padded. */
    static byte[] aeField(String ae) {
        byte[] field = new byte[16];
        java.util.Arrays.fill(field, (byte) ' ');
        byte[] value = ascii(ae);
        System.arraycopy(value, 0, field, 0, Math.min(16, value.length));
        return field;
    }
}
