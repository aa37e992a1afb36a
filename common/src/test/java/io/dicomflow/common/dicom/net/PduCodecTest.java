package io.dicomflow.common.dicom.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PDU and DIMSE encoding against byte layouts written out from PS3.8 9.3 and PS3.7 E.1, and negotiation.
 */
class PduCodecTest {

    /** An A-ASSOCIATE-RQ laid out by hand from PS3.8 Table 9-11. */
    static byte[] associateRq(String calling, String called, int maxLength, byte[]... contexts) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        items.writeBytes(item(0x10, "1.2.840.10008.3.1.1.1".getBytes(StandardCharsets.US_ASCII)));
        for (byte[] c : contexts) {
            items.writeBytes(c);
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        user.writeBytes(item(0x51, new byte[] {(byte) (maxLength >>> 24), (byte) (maxLength >>> 16),
            (byte) (maxLength >>> 8), (byte) maxLength}));
        user.writeBytes(item(0x52, "1.2.3.4".getBytes(StandardCharsets.US_ASCII)));
        user.writeBytes(item(0x55, "SCU_1".getBytes(StandardCharsets.US_ASCII)));
        // a sub-item this acceptor does not know (user identity): skipped
        user.writeBytes(item(0x58, new byte[] {1, 0, 0, 2, 'a', 'b', 0, 0}));
        items.writeBytes(item(0x50, user.toByteArray()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0});
        body.writeBytes(AssociateAccept.aeField(called));
        body.writeBytes(AssociateAccept.aeField(calling));
        body.writeBytes(new byte[32]);
        body.writeBytes(items.toByteArray());
        return body.toByteArray();
    }

    static byte[] context(int id, String abstractSyntax, String... transferSyntaxes) {
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.writeBytes(new byte[] {(byte) id, 0, 0, 0});
        pc.writeBytes(item(0x30, abstractSyntax.getBytes(StandardCharsets.US_ASCII)));
        for (String ts : transferSyntaxes) {
            // UIDs padded with a NUL to even length, as many SCUs do
            byte[] raw = ts.getBytes(StandardCharsets.US_ASCII);
            pc.writeBytes(item(0x40, Arrays.copyOf(raw, raw.length + (raw.length & 1))));
        }
        return item(0x20, pc.toByteArray());
    }

    static byte[] item(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) type, 0, (byte) (value.length >>> 8), (byte) value.length});
        out.writeBytes(value);
        return out.toByteArray();
    }

    @Test
    void decodesAnAssociateRequest() throws Exception {
        byte[] rq = associateRq("MODALITY", "ARCHIVE", 32_768,
                context(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"),
                context(3, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1"));
        AssociateRequest request = AssociateRequest.decode(rq, rq.length);
        assertThat(request.callingAe()).isEqualTo("MODALITY");
        assertThat(request.calledAe()).isEqualTo("ARCHIVE");
        assertThat(request.applicationContext()).isEqualTo(AssociateRequest.DICOM_APPLICATION_CONTEXT);
        assertThat(request.maxPDataLength()).isEqualTo(32_768);
        assertThat(request.implementationClassUid()).isEqualTo("1.2.3.4");
        assertThat(request.implementationVersion()).isEqualTo("SCU_1");
        assertThat(request.contexts()).containsExactly(
                new AssociateRequest.ProposedContext(1, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2")),
                new AssociateRequest.ProposedContext(3, "1.2.840.10008.5.1.4.1.1.2",
                        List.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1")));
    }

    @Test
    void itemLengthsAreBoundedByThePdu() {
        byte[] rq = associateRq("A", "B", 0, context(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"));
        // the presentation context item claims more bytes than the PDU has
        byte[] lying = rq.clone();
        int pcAt = 68 + 4 + 21;
        assertThat(lying[pcAt] & 0xFF).isEqualTo(0x20);
        lying[pcAt + 2] = (byte) 0xFF;
        assertThatThrownBy(() -> AssociateRequest.decode(lying, lying.length)).isInstanceOf(PduException.class)
                .hasMessageContaining("runs past");
        // cut anywhere: a typed error, never an index out of bounds
        for (int cut = 0; cut < rq.length; cut++) {
            int length = cut;
            try {
                AssociateRequest.decode(rq, length);
            } catch (PduException expected) {
                // fine
            }
        }
        // an even context id is not one (PS3.8 9.3.2.2)
        byte[] even = associateRq("A", "B", 0, context(2, "1.2.840.10008.1.1", "1.2.840.10008.1.2"));
        assertThatThrownBy(() -> AssociateRequest.decode(even, even.length)).isInstanceOf(PduException.class);
    }

    @Test
    void pduLengthIsBoundedBeforeAllocation() {
        // P-DATA-TF of 2^31-1 bytes against a 16 KiB maximum
        byte[] huge = {4, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0};
        assertThatThrownBy(() -> Pdu.read(new ByteArrayInputStream(huge), 16_384, null))
                .isInstanceOf(PduException.class).extracting((e) -> ((PduException) e).reason())
                .isEqualTo(PduException.INVALID_PARAMETER);
        byte[] control = {1, 0, 0, 0x10, 0, 0, 0};
        assertThatThrownBy(() -> Pdu.read(new ByteArrayInputStream(control), 16_384, null))
                .isInstanceOf(PduException.class);
        byte[] unknown = {9, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> Pdu.read(new ByteArrayInputStream(unknown), 16_384, null))
                .isInstanceOf(PduException.class).extracting((e) -> ((PduException) e).reason())
                .isEqualTo(PduException.UNRECOGNIZED_PDU);
        byte[] truncated = {5, 0, 0, 0, 0, 4, 0};
        assertThatThrownBy(() -> Pdu.read(new ByteArrayInputStream(truncated), 16_384, null))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void negotiatesPerContext() {
        List<AssociateAccept.AcceptedContext> answers = Negotiation.answer(List.of(
                new AssociateRequest.ProposedContext(1, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2")),
                new AssociateRequest.ProposedContext(3, "9.9.9", List.of("1.2.840.10008.1.2")),
                new AssociateRequest.ProposedContext(5, "1.2.840.10008.1.1", List.of("7.7", "8.8")),
                new AssociateRequest.ProposedContext(7, "1.2.840.10008.1.1", List.of("7.7", "1.2.840.10008.1.2.1",
                        "1.2.840.10008.1.2"))),
                (as) -> as.startsWith("1.2.840.10008."), (ts) -> ts.startsWith("1.2.840.10008."));
        assertThat(answers).extracting(AssociateAccept.AcceptedContext::result)
                .containsExactly(0, AssociateAccept.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        AssociateAccept.TRANSFER_SYNTAXES_NOT_SUPPORTED, 0);
        assertThat(answers.get(3).transferSyntax()).isEqualTo("1.2.840.10008.1.2.1");
    }

    @Test
    void encodesTheAcceptWithItsLengths() {
        byte[] ac = new AssociateAccept("ARCHIVE", "MODALITY", List.of(
                new AssociateAccept.AcceptedContext(1, 0, "1.2.840.10008.1.2", "1.2.840.10008.1.1")), 65_536,
                "1.2.3", "V1").encode();
        assertThat(ac[0]).isEqualTo((byte) Pdu.ASSOCIATE_AC);
        int length = ((ac[2] & 0xFF) << 24) | ((ac[3] & 0xFF) << 16) | ((ac[4] & 0xFF) << 8) | (ac[5] & 0xFF);
        assertThat(length).isEqualTo(ac.length - 6);
        assertThat(new String(ac, 10, 16, StandardCharsets.US_ASCII)).isEqualTo("ARCHIVE         ");
        assertThat(new String(ac, 26, 16, StandardCharsets.US_ASCII)).isEqualTo("MODALITY        ");
        // application context item right after the fixed fields
        assertThat(ac[6 + 68]).isEqualTo((byte) 0x10);
        // the presentation context answer: item 0x21, id 1, result 0, then the transfer syntax sub-item
        int pc = 6 + 68 + 4 + 21;
        assertThat(Arrays.copyOfRange(ac, pc, pc + 8)).containsExactly(0x21, 0, 0, 4 + 4 + 17, 1, 0, 0, 0);
        assertThat(ac[pc + 8]).isEqualTo((byte) 0x40);
        // the maximum length sub-item in the user information
        int user = pc + 4 + 4 + 4 + 17;
        assertThat(ac[user]).isEqualTo((byte) 0x50);
        assertThat(Arrays.copyOfRange(ac, user + 4, user + 12)).containsExactly(0x51, 0, 0, 4, 0, 1, 0, 0);
    }

    @Test
    void commandSetsRoundTripInImplicitVrLittleEndian() throws Exception {
        byte[] encoded = CommandSet.create()
                .uint16(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RSP)
                .uid(CommandSet.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.5.1.4.1.1.2")
                .uint16(CommandSet.STATUS, 0xA700)
                .text(CommandSet.ERROR_COMMENT, "QUOTA")
                .encode();
        // (0000,0000) UL first, its value the length of the rest
        assertThat(Arrays.copyOfRange(encoded, 0, 8)).containsExactly(0, 0, 0, 0, 4, 0, 0, 0);
        int groupLength = (encoded[8] & 0xFF) | ((encoded[9] & 0xFF) << 8);
        assertThat(groupLength).isEqualTo(encoded.length - 12);
        // then ascending tags: (0000,0002) with an even, NUL-padded UID
        assertThat(Arrays.copyOfRange(encoded, 12, 20)).containsExactly(0, 0, 2, 0, 26, 0, 0, 0);
        assertThat(encoded[20 + 25]).isZero();
        CommandSet decoded = CommandSet.decode(encoded, encoded.length);
        assertThat(decoded.uint16(CommandSet.COMMAND_FIELD)).isEqualTo(0x8001);
        assertThat(decoded.uint16(CommandSet.STATUS)).isEqualTo(0xA700);
        assertThat(decoded.string(CommandSet.AFFECTED_SOP_CLASS_UID)).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(decoded.string(CommandSet.ERROR_COMMENT)).isEqualTo("QUOTA");
        assertThat(decoded.uint16(CommandSet.MESSAGE_ID)).isEqualTo(-1);
        byte[] lying = encoded.clone();
        lying[4] = (byte) 0xFF;
        assertThatThrownBy(() -> CommandSet.decode(lying, lying.length)).isInstanceOf(PduException.class);
    }

    @Test
    void responsesAreFragmentedToThePeersMaximumLength() throws Exception {
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSet.send(out, 3, false, data, 4096);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int pdus = 0;
        Pdu pdu;
        boolean last = false;
        while ((pdu = Pdu.read(in, 4096, null)) != null) {
            pdus++;
            assertThat(pdu.length()).isLessThanOrEqualTo(4096);
            for (Pdv pdv : Pdv.split(pdu.body(), pdu.length())) {
                assertThat(pdv.contextId()).isEqualTo(3);
                assertThat(pdv.command()).isFalse();
                assertThat(last).as("nothing after the last fragment").isFalse();
                last = pdv.last();
                joined.write(pdv.body(), pdv.offset(), pdv.length());
            }
        }
        assertThat(pdus).isEqualTo(3);
        assertThat(last).isTrue();
        assertThat(joined.toByteArray()).isEqualTo(data);
    }

    @Test
    void pdvItemLengthsAreBoundedByThePdu() {
        byte[] body = {0, 0, 0, 100, 1, 3, 1, 2};
        assertThatThrownBy(() -> Pdv.split(body, body.length)).isInstanceOf(PduException.class);
        byte[] badControl = {0, 0, 0, 3, 1, (byte) 0xF3, 9};
        assertThatThrownBy(() -> Pdv.split(badControl, badControl.length)).isInstanceOf(PduException.class);
    }

    @Test
    void fileMetaInformationMakesAReadablePart10File() throws Exception {
        byte[] dataset = {0x08, 0, 0x60, 0, 2, 0, 0, 0, 'C', 'T'};
        byte[] meta = FileMetaInformation.encode("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", "1.2.840.10008.1.2",
                "MODALITY");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(meta);
        file.writeBytes(dataset);
        DicomHeader header = DicomReader.create().readHeader(new ByteArrayInputStream(file.toByteArray()));
        assertThat(header.transferSyntax().uid()).isEqualTo("1.2.840.10008.1.2");
        assertThat(header.transferSyntaxInferred()).isFalse();
        assertThat(header.string("Modality")).contains("CT");
        MinimalScu.Part10 split = MinimalScu.Part10.of(file.toByteArray());
        assertThat(split.sopClass()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(split.sopInstance()).isEqualTo("1.2.3.4.5");
        assertThat(split.dataset()).isEqualTo(dataset);
    }
}
