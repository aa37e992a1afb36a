package io.dicomflow.common.dicom.net;

import java.util.ArrayList;
import java.util.List;

/**
 * One presentation data value of a P-DATA-TF PDU (PS3.8 9.3.5.1, E.2): a fragment of a command or of a
 * dataset, located in the PDU's buffer (not copied).
 *
 * @param contextId the presentation context id
 * @param command whether the fragment belongs to a command (else to a dataset)
 * @param last whether it is the message part's last fragment
 * @param body the PDU's buffer
 * @param offset where the fragment starts in it
 * @param length how many bytes it has
 */
public record Pdv(int contextId, boolean command, boolean last, byte[] body, int offset, int length) {

    /** Splits the variable field of a P-DATA-TF PDU into its PDVs; every item length is bounded by the PDU. */
    public static List<Pdv> split(byte[] body, int length) throws PduException {
        List<Pdv> pdvs = new ArrayList<>(2);
        int pos = 0;
        while (pos < length) {
            if (pos + 6 > length) {
                throw new PduException(PduException.INVALID_PARAMETER, "PDV item header past the end of the PDU");
            }
            long itemLength = AssociateRequest.u32(body, pos);
            if (itemLength < 2 || itemLength > length - pos - 4) {
                throw new PduException(PduException.INVALID_PARAMETER, "PDV item of " + itemLength
                        + " bytes in a PDU with " + (length - pos - 4) + " left");
            }
            int contextId = body[pos + 4] & 0xFF;
            int control = body[pos + 5] & 0xFF;
            if ((control & 0xFC) != 0 || (contextId & 1) == 0) {
                throw new PduException(PduException.INVALID_PARAMETER, "PDV with context id " + contextId
                        + " and message control header 0x" + Integer.toHexString(control));
            }
            pdvs.add(new Pdv(contextId, (control & 1) != 0, (control & 2) != 0, body, pos + 6, (int) itemLength - 2));
            pos += 4 + (int) itemLength;
        }
        if (pdvs.isEmpty()) {
            throw new PduException(PduException.INVALID_PARAMETER, "P-DATA-TF without a PDV");
        }
        return pdvs;
    }
}
