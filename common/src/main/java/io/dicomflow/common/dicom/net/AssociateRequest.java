package io.dicomflow.common.dicom.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded A-ASSOCIATE-RQ (PS3.8 9.3.2). Only what an acceptor needs is kept; unknown items and user
 * information sub-items are skipped (PS3.8 9.3.1: unrecognized items are ignored), their lengths bounded by the
 * enclosing item.
 *
 * @param calledAe the Called AE Title, trailing spaces removed
 * @param callingAe the Calling AE Title, trailing spaces removed
 * @param applicationContext the Application Context Name
 * @param contexts the proposed presentation contexts, in order
 * @param maxPDataLength the requestor's Maximum Length Received (0: unlimited)
 * @param implementationClassUid the requestor's Implementation Class UID, or null
 * @param implementationVersion the requestor's Implementation Version Name, or null
 */
public record AssociateRequest(String calledAe, String callingAe, String applicationContext,
        List<ProposedContext> contexts, long maxPDataLength, String implementationClassUid,
        String implementationVersion) {

    /** The DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /** Most presentation contexts one association may propose (the ids are odd numbers 1..255). */
    public static final int MAX_CONTEXTS = 128;

    /** Most transfer syntaxes one presentation context may propose (more are a hostile request). */
    public static final int MAX_TRANSFER_SYNTAXES = 64;

    /**
     * One proposed presentation context (item 0x20).
     *
     * @param id the odd context id
     * @param abstractSyntax the SOP class proposed
     * @param transferSyntaxes the transfer syntaxes proposed, in the requestor's order of preference
     */
    public record ProposedContext(int id, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /** Decodes the variable field of an A-ASSOCIATE-RQ PDU. */
    public static AssociateRequest decode(byte[] body, int length) throws PduException {
        if (length < 68) {
            throw new PduException(PduException.INVALID_PARAMETER, "A-ASSOCIATE-RQ shorter than its fixed fields");
        }
        int version = u16(body, 0);
        if ((version & 1) == 0) {
            throw new PduException(PduException.INVALID_PARAMETER, "protocol version " + version + " without bit 0");
        }
        String called = ae(body, 4);
        String calling = ae(body, 20);
        String appContext = null;
        List<ProposedContext> contexts = new ArrayList<>();
        long maxLength = 0;
        String implClass = null;
        String implVersion = null;
        boolean userInfo = false;
        int pos = 68;
        while (pos < length) {
            if (pos + 4 > length) {
                throw new PduException(PduException.INVALID_PARAMETER, "item header past the end of the PDU");
            }
            int type = body[pos] & 0xFF;
            int itemLength = u16(body, pos + 2);
            int start = pos + 4;
            int end = start + itemLength;
            if (end > length) {
                throw new PduException(PduException.INVALID_PARAMETER, "item 0x" + Integer.toHexString(type)
                        + " runs past the end of the PDU");
            }
            switch (type) {
                case 0x10 -> appContext = uid(body, start, itemLength);
                case 0x20 -> {
                    if (contexts.size() >= MAX_CONTEXTS) {
                        throw new PduException(PduException.INVALID_PARAMETER, "more than " + MAX_CONTEXTS
                                + " presentation contexts");
                    }
                    ProposedContext context = context(body, start, end);
                    if ((context.id() & 1) == 0 || contexts.stream().anyMatch((c) -> c.id() == context.id())) {
                        throw new PduException(PduException.INVALID_PARAMETER, "presentation context id "
                                + context.id() + " is even or proposed twice");
                    }
                    contexts.add(context);
                }
                case 0x50 -> {
                    userInfo = true;
                    int sub = start;
                    while (sub < end) {
                        if (sub + 4 > end) {
                            throw new PduException(PduException.INVALID_PARAMETER, "user information sub-item header");
                        }
                        int subType = body[sub] & 0xFF;
                        int subLength = u16(body, sub + 2);
                        int subStart = sub + 4;
                        if (subStart + subLength > end) {
                            throw new PduException(PduException.INVALID_PARAMETER, "user information sub-item 0x"
                                    + Integer.toHexString(subType) + " runs past its item");
                        }
                        switch (subType) {
                            case 0x51 -> {
                                if (subLength != 4) {
                                    throw new PduException(PduException.INVALID_PARAMETER, "maximum length sub-item of "
                                            + subLength + " bytes");
                                }
                                maxLength = u32(body, subStart);
                            }
                            case 0x52 -> implClass = uid(body, subStart, subLength);
                            case 0x55 -> implVersion = text(body, subStart, subLength);
                            default -> {
                                // asynchronous operations, role selection, extended negotiation, user identity:
                                // not offered by this acceptor, so not answered (PS3.7 D.3.3)
                            }
                        }
                        sub = subStart + subLength;
                    }
                }
                default -> {
                    // PS3.8 9.3.1: items of unknown type are ignored
                }
            }
            pos = end;
        }
        if (appContext == null) {
            throw new PduException(PduException.INVALID_PARAMETER, "A-ASSOCIATE-RQ without an application context");
        }
        if (!userInfo) {
            throw new PduException(PduException.INVALID_PARAMETER, "A-ASSOCIATE-RQ without user information");
        }
        return new AssociateRequest(called, calling, appContext, List.copyOf(contexts), maxLength, implClass,
                implVersion);
    }

    private static ProposedContext context(byte[] body, int start, int end) throws PduException {
        if (start + 4 > end) {
            throw new PduException(PduException.INVALID_PARAMETER, "presentation context item too short");
        }
        int id = body[start] & 0xFF;
        String abstractSyntax = null;
        List<String> syntaxes = new ArrayList<>();
        int pos = start + 4;
        while (pos < end) {
            if (pos + 4 > end) {
                throw new PduException(PduException.INVALID_PARAMETER, "presentation context sub-item header");
            }
            int type = body[pos] & 0xFF;
            int len = u16(body, pos + 2);
            int s = pos + 4;
            if (s + len > end) {
                throw new PduException(PduException.INVALID_PARAMETER, "presentation context sub-item runs past its item");
            }
            if (type == 0x30) {
                abstractSyntax = uid(body, s, len);
            } else if (type == 0x40) {
                if (syntaxes.size() >= MAX_TRANSFER_SYNTAXES) {
                    throw new PduException(PduException.INVALID_PARAMETER, "more than " + MAX_TRANSFER_SYNTAXES
                            + " transfer syntaxes in one presentation context");
                }
                syntaxes.add(uid(body, s, len));
            }
            pos = s + len;
        }
        if (abstractSyntax == null || syntaxes.isEmpty()) {
            throw new PduException(PduException.INVALID_PARAMETER, "presentation context " + id
                    + " without abstract or transfer syntax");
        }
        return new ProposedContext(id, abstractSyntax, List.copyOf(syntaxes));
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static String ae(byte[] b, int off) {
        return new String(b, off, 16, StandardCharsets.US_ASCII).strip();
    }

    /** A UID value: at most 64 characters (PS3.5 9.1); trailing NUL or space padding removed. */
    private static String uid(byte[] b, int off, int len) throws PduException {
        String value = text(b, off, len);
        if (value.isEmpty() || value.length() > 64) {
            throw new PduException(PduException.INVALID_PARAMETER, "a UID of " + len + " bytes");
        }
        return value;
    }

    private static String text(byte[] b, int off, int len) {
        String value = new String(b, off, len, StandardCharsets.US_ASCII);
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == 0 || value.charAt(end - 1) == ' ')) {
            end--;
        }
        return value.substring(0, end);
    }
}
