package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JPEG-LS decoder on small synthetic images compressed by an independent encoder (DCMTK's dcmcjpls, see
 * test resources jpegls/generate.py): lossless files must give back the original samples exactly, near-lossless
 * ones exactly what DCMTK's own decoder gives, and within NEAR of the original.
 */
class JpegLsDecoderTest {
    private static final DicomReader READER = DicomReader.create();

    static Path resource(String name) {
        try {
            return Path.of(JpegLsDecoderTest.class.getResource("/jpegls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expected samples: little-endian 32-bit ints, interleaved per pixel, frame after frame. */
    static int[] ints(String name) throws IOException {
        byte[] b = Files.readAllBytes(resource(name));
        int[] v = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
        return v;
    }

    /** All frames' stored values, decoded through the pixel decoder registry as the analyser does. */
    static int[] decodeAll(Path file, String expectedTransferSyntax) throws Exception {
        try (DicomStream stream = READER.open(file)) {
            assertThat(stream.header().transferSyntax().uid()).isEqualTo(expectedTransferSyntax);
            FrameDecoder decoder = PixelDecoders.open(stream);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<int[]> frames = new ArrayList<>();
            Frame f;
            while ((f = decoder.next()) != null) {
                frames.add(Arrays.copyOf(f.ints(), f.count()));
            }
            assertThat(frames).hasSize(decoder.module().frames());
            return frames.stream().flatMapToInt(Arrays::stream).toArray();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "gray8", "gray8_other", "gray12", "gray12_raw", "gray16", "signed16", "gray5", "gray2", "gray8_2frames", "gray8_presets",
        "rgb8_line", "rgb8_sample", "rgb8_none"})
    void losslessGivesBackTheOriginalSamples(String name) throws Exception {
        int[] decoded = decodeAll(resource(name + ".dcm"), "1.2.840.10008.1.2.4.80");
        int[] original = ints(name + ".raw");
        assertThat(decoded).hasSameSizeAs(original);
        assertThat(decoded).isEqualTo(original);
    }

    @ParameterizedTest(name = "{0} NEAR={1}")
    @CsvSource({"gray8_near3, 3", "gray16_near2, 2", "rgb8_sample_near1, 1", "rgb8_line_near2, 2"})
    void nearLosslessMatchesTheReferenceDecoderAndStaysWithinNear(String name, int near) throws Exception {
        int[] decoded = decodeAll(resource(name + ".dcm"), "1.2.840.10008.1.2.4.81");
        int[] reference = ints(name + ".dcmtk.raw");
        int[] original = ints(name + ".raw");
        assertThat(decoded).isEqualTo(reference);
        int worst = 0;
        boolean anyDifferent = false;
        for (int i = 0; i < original.length; i++) {
            worst = Math.max(worst, Math.abs(decoded[i] - original[i]));
            anyDifferent |= decoded[i] != original[i];
        }
        assertThat(worst).isLessThanOrEqualTo(near);
        assertThat(anyDifferent).as("near-lossless coding changed some samples").isTrue();
    }

    // ---------------------------------------------------------------- codestream level

    /** The first frame's codestream of a test file, and the pixel module its header declares. */
    record Stream(ImagePixelModule module, byte[] codestream) {
    }

    static Stream codestream(Path file) throws IOException, DicomParseException, UnsupportedPixelDataException {
        try (DicomStream stream = READER.open(file)) {
            DicomHeader header = stream.header();
            ImagePixelModule m = ImagePixelModule.of(header);
            InputStream in = new BufferedInputStream(stream.pixelValue());
            byte[] frame = new EncapsulatedFragments(in, header, m.frames(), EncapsulatedFragments.Boundaries.JPEG)
                    .nextFrame();
            return new Stream(m, frame);
        }
    }

    private static int indexOf(byte[] data, int... pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if ((data[i + j] & 0xFF) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int[] decode(Stream s, byte[] codestream) throws UnsupportedPixelDataException {
        int[] out = new int[s.module().valuesPerFrame()];
        JpegLsDecoder.decode(codestream, s.module(), out);
        return out;
    }

    @Test
    void restartIntervalsRestartCodingWithFreshContextsAndAZeroLineAbove() throws Exception {
        // T.87 restart intervals are coded independently: the context variables start afresh and the line
        // above an interval's first line is zero. So the scan data of two independently encoded images of the
        // same size and parameters, joined by RST0 under a DRI of one image's height, codes the stacked image.
        Stream top = codestream(resource("gray8.dcm"));
        Stream bottom = codestream(resource("gray8_other.dcm"));
        byte[] a = top.codestream();
        byte[] b = bottom.codestream();
        int sosA = indexOf(a, 0xFF, 0xDA);
        int sosB = indexOf(b, 0xFF, 0xDA);
        byte[] scanA = Arrays.copyOfRange(a, sosA + 10, indexOf(a, 0xFF, 0xD9));
        byte[] scanB = Arrays.copyOfRange(b, sosB + 10, indexOf(b, 0xFF, 0xD9));
        int rows = top.module().rows();
        byte[] header = Arrays.copyOfRange(a, 0, sosA + 10); // SOI, SOF55 and the SOS segment
        int sof = indexOf(header, 0xFF, 0xF7);
        header[sof + 5] = (byte) (2 * rows >> 8); // SOF55: FF F7, Lf(2), P, Y(2), X(2) ...
        header[sof + 6] = (byte) (2 * rows);
        byte[] dri = {(byte) 0xFF, (byte) 0xDD, 0, 4, (byte) (rows >> 8), (byte) rows};
        byte[] frameHeader = Arrays.copyOf(header, sosA);
        byte[] scanHeader = Arrays.copyOfRange(header, sosA, header.length);
        byte[] rst0 = {(byte) 0xFF, (byte) 0xD0};
        byte[] eoi = {(byte) 0xFF, (byte) 0xD9};
        byte[] stacked = concat(frameHeader, dri, scanHeader, scanA, rst0, scanB, eoi);
        ImagePixelModule m = top.module();
        ImagePixelModule tall = new ImagePixelModule(2 * rows, m.columns(), 1, m.bitsAllocated(), m.bitsStored(),
                m.highBit(), false, false, 1, m.photometric(), false);
        int[] out = new int[tall.valuesPerFrame()];
        JpegLsDecoder.decode(stacked, tall, out);
        int[] first = ints("gray8.raw");
        int[] second = ints("gray8_other.raw");
        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(out, 0, first.length)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(out, first.length, out.length)).isEqualTo(second);

        // without its restart marker the stream is corrupt, and a wrong marker number too
        byte[] missing = concat(frameHeader, dri, scanHeader, scanA, scanB, eoi);
        assertThatThrownBy(() -> JpegLsDecoder.decode(missing, tall, new int[tall.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("restart marker");
        byte[] wrong = concat(frameHeader, dri, scanHeader, scanA, new byte[] {(byte) 0xFF, (byte) 0xD3}, scanB, eoi);
        assertThatThrownBy(() -> JpegLsDecoder.decode(wrong, tall, new int[tall.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("RST0");
    }

    @Test
    void truncatedScanDataIsATypedError() throws Exception {
        Stream s = codestream(resource("gray16.dcm"));
        byte[] cut = Arrays.copyOf(s.codestream(), s.codestream().length / 2);
        assertThatThrownBy(() -> decode(s, cut)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("ends before all samples");
    }

    @Test
    void frameSizeMustMatchTheHeader() throws Exception {
        Stream s = codestream(resource("gray8.dcm"));
        ImagePixelModule m = s.module();
        ImagePixelModule wider = new ImagePixelModule(m.rows(), m.columns() + 1, 1, 8, 8, 7, false, false, 1,
                "MONOCHROME2", false);
        assertThatThrownBy(() -> JpegLsDecoder.decode(s.codestream(), wider, new int[wider.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("the header says");
        ImagePixelModule colour = new ImagePixelModule(m.rows(), m.columns(), 3, 8, 8, 7, false, false, 1, "RGB",
                false);
        assertThatThrownBy(() -> JpegLsDecoder.decode(s.codestream(), colour, new int[colour.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("components");
    }

    @Test
    void mappingTablesAndPointTransformAreRefusedAsUnsupported() throws Exception {
        Stream s = codestream(resource("gray8.dcm"));
        byte[] cs = s.codestream();
        int sos = indexOf(cs, 0xFF, 0xDA);
        // SOS: FF DA, Ls(2), Ns, Cs1, Tm1, NEAR, ILV, Ah/Al
        byte[] table = cs.clone();
        table[sos + 6] = 1;
        assertThatThrownBy(() -> decode(s, table)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("mapping tables");
        byte[] pt = cs.clone();
        pt[sos + 9] = 2;
        assertThatThrownBy(() -> decode(s, pt)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("point transform");
        // an LSE mapping table specification (ID 2) before the scan
        byte[] lse = {(byte) 0xFF, (byte) 0xF8, 0, 5, 2, 1, 1};
        byte[] withTable = concat(Arrays.copyOf(cs, sos), lse, Arrays.copyOfRange(cs, sos, cs.length));
        assertThatThrownBy(() -> decode(s, withTable)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("mapping tables");
    }

    @Test
    void presetParametersOutsideTheirRangesAreCorrupt() throws Exception {
        Stream s = codestream(resource("gray8_presets.dcm"));
        byte[] cs = s.codestream();
        int lse = indexOf(cs, 0xFF, 0xF8);
        // LSE type 1: FF F8, Ll(2), ID, MAXVAL(2), T1(2), T2(2), T3(2), RESET(2); T2 below T1 is invalid
        byte[] bad = cs.clone();
        bad[lse + 9] = 0;
        bad[lse + 10] = 2;
        assertThatThrownBy(() -> decode(s, bad)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("thresholds");
        // MAXVAL above 2^P - 1
        byte[] big = cs.clone();
        big[lse + 5] = 0x01;
        big[lse + 6] = 0x00;
        assertThatThrownBy(() -> decode(s, big)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("MAXVAL");
        // and the untouched stream decodes to the original
        assertThat(decode(s, cs)).isEqualTo(ints("gray8_presets.raw"));
    }

    @Test
    void fillBytesBeforeMarkersAndAMissingEoiAreAccepted() throws Exception {
        Stream s = codestream(resource("rgb8_none.dcm"));
        byte[] cs = s.codestream();
        int eoi = indexOf(cs, 0xFF, 0xD9);
        int[] original = ints("rgb8_none.raw");
        // T.81 B.1.1.2: any marker may be preceded by 0xFF fill bytes
        int sos = indexOf(cs, 0xFF, 0xDA);
        byte[] filled = concat(Arrays.copyOf(cs, sos), new byte[] {(byte) 0xFF, (byte) 0xFF},
                Arrays.copyOfRange(cs, sos, cs.length));
        assertThat(decode(s, filled)).isEqualTo(original);
        assertThat(decode(s, Arrays.copyOf(cs, eoi))).isEqualTo(original);
        // but a scan missing for one of the three components is an error
        int lastSos = cs.length - 2;
        while (!((cs[lastSos] & 0xFF) == 0xFF && (cs[lastSos + 1] & 0xFF) == 0xDA)) {
            lastSos--;
        }
        byte[] twoScans = concat(Arrays.copyOf(cs, lastSos), new byte[] {(byte) 0xFF, (byte) 0xD9});
        assertThatThrownBy(() -> decode(s, twoScans)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("no scan for component 3");
    }

    @Test
    void notAJpegLsCodestream() throws Exception {
        Stream s = codestream(resource("gray8.dcm"));
        assertThatThrownBy(() -> decode(s, new byte[] {1, 2, 3})).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("SOI");
        // a T.81 baseline frame header where SOF55 belongs
        byte[] sof0 = s.codestream().clone();
        sof0[indexOf(sof0, 0xFF, 0xF7) + 1] = (byte) 0xC0;
        assertThatThrownBy(() -> decode(s, sof0)).isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("SOF0");
    }
}
