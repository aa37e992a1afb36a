package io.dicomflow.common.dicom.net;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * Coverage-guided fuzzing of what the Storage SCP reads from the network before it trusts anything: the PDU
 * reader, the A-ASSOCIATE-RQ decoder and its negotiation, P-DATA-TF splitting and command set decoding. The
 * only allowed outcomes are a result, {@link PduException} or the stream ending ({@link EOFException}); any other
 * exception, a hang or an OutOfMemoryError is a finding. Runs like {@code DicomReaderFuzzTest}: fuzzing with
 * JAZZER_FUZZ=1, else replaying the committed inputs in PduDecoderFuzzTestInputs.
 */
class PduDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decodersEndInAResultOrTheTypedError(byte[] data) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        byte[] buffer = new byte[16_384];
        try {
            Pdu pdu;
            while ((pdu = Pdu.read(in, 16_384, buffer)) != null) {
                if (pdu.length() > Math.max(16_384, Pdu.MAX_CONTROL_LENGTH)) {
                    throw new AssertionError("a PDU of " + pdu.length() + " bytes passed the bound");
                }
                switch (pdu.type()) {
                    case Pdu.ASSOCIATE_RQ -> {
                        AssociateRequest rq = AssociateRequest.decode(pdu.body(), pdu.length());
                        List<AssociateAccept.AcceptedContext> answers = Negotiation.answer(rq.contexts(),
                                (uid) -> uid.startsWith("1.2.840.10008."), (uid) -> uid.length() < 20);
                        new AssociateAccept(rq.calledAe(), rq.callingAe(), answers, 16_384, "1.2.3", "FUZZ").encode();
                    }
                    case Pdu.P_DATA_TF -> {
                        for (Pdv pdv : Pdv.split(pdu.body(), pdu.length())) {
                            byte[] part = java.util.Arrays.copyOfRange(pdv.body(), pdv.offset(),
                                    pdv.offset() + pdv.length());
                            CommandSet command = CommandSet.decode(part, part.length);
                            command.uint16(CommandSet.COMMAND_FIELD);
                            command.string(CommandSet.AFFECTED_SOP_INSTANCE_UID);
                        }
                    }
                    default -> {
                        // release, abort: no content to decode
                    }
                }
            }
        } catch (PduException | EOFException expected) {
            // the typed outcomes
        }
    }
}
