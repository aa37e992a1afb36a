package io.dicomflow.common.dicom.net;

/**
 * A PDU or command set that breaks PS3.8/PS3.7 (bad length, unknown type, truncated item). The association
 * answers it with an A-ABORT; {@link #reason} is the A-ABORT reason (PS3.8 9.3.8).
 */
public final class PduException extends Exception {

    /** A-ABORT reason: reason not specified. */
    public static final int NOT_SPECIFIED = 0;
    /** A-ABORT reason: unrecognized PDU. */
    public static final int UNRECOGNIZED_PDU = 1;
    /** A-ABORT reason: unexpected PDU. */
    public static final int UNEXPECTED_PDU = 2;
    /** A-ABORT reason: unrecognized PDU parameter. */
    public static final int UNRECOGNIZED_PARAMETER = 4;
    /** A-ABORT reason: invalid PDU parameter value. */
    public static final int INVALID_PARAMETER = 6;

    private final int reason;

    public PduException(int reason, String message) {
        super(message);
        this.reason = reason;
    }

    public int reason() {
        return reason;
    }
}
