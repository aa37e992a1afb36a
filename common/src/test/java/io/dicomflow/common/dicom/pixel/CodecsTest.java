package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The own codecs against independent decodes. The files under {@code codecs/} were made with DCMTK
 * 3.6.7 ({@code dcmcjpeg +el +sv N [+pt 2]}, {@code dcmcjpeg +ee}) from corpus files, and the
 * {@code .dcmdjpeg.dcm} ones are DCMTK's ({@code dcmdjpeg}) decompression of them.
 */
class CodecsTest {
    private static final DicomReader READER = DicomReader.create();

    static Path codecs(String name) throws URISyntaxException {
        return Path.of(CodecsTest.class.getResource("/codecs/" + name).toURI());
    }

    static Path corpus(String name) {
        return CorpusReference.folder("dicom").resolve(name);
    }

    /** Every frame's stored values. */
    static List<int[]> frames(Path file) throws Exception {
        try (DicomStream stream = READER.open(file)) {
            return frames(stream);
        }
    }

    static List<int[]> frames(byte[] file) throws Exception {
        try (DicomStream stream = READER.open(new ByteArrayInputStream(file))) {
            return frames(stream);
        }
    }

    private static List<int[]> frames(DicomStream stream) throws Exception {
        FrameDecoder decoder = PixelDecoders.open(stream);
        List<int[]> out = new ArrayList<>();
        Frame f;
        while ((f = decoder.next()) != null) {
            out.add(Arrays.copyOf(f.ints(), f.count()));
        }
        return out;
    }

    /** The lossless predictor (Ss of the first SOS) of a file's first JPEG frame. */
    private static int predictorOf(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = 0; i + 6 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
                int ns = b[i + 4] & 0xFF;
                return b[i + 5 + 2 * ns] & 0xFF;
            }
        }
        throw new AssertionError("no SOS in " + file);
    }

    @ParameterizedTest(name = "selection value {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void losslessPredictorsReproduceTheOriginalSixteenBitValues(int sv) throws Exception {
        Path compressed = codecs("jpeg-lossless-mr-sv" + sv + ".dcm");
        assertThat(predictorOf(compressed)).as("the test file really uses predictor " + sv).isEqualTo(sv);
        List<int[]> original = frames(corpus("pydicom-MR_small.dcm"));
        List<int[]> decoded = frames(compressed);
        assertThat(decoded).hasSize(1);
        assertThat(decoded.get(0)).isEqualTo(original.get(0));
    }

    @Test
    void losslessColourSixteenBitWithPredictorSeven() throws Exception {
        Path compressed = codecs("jpeg-lossless-rgb16-sv7.dcm");
        assertThat(predictorOf(compressed)).isEqualTo(7);
        assertThat(frames(compressed)).containsExactlyElementsOf(frames(corpus("pydicomdata-SC_rgb_16bit.dcm")));
    }

    @Test
    void losslessPointTransformMatchesDcmtk() throws Exception {
        List<int[]> decoded = frames(codecs("jpeg-lossless-mr-sv1-pt2.dcm"));
        List<int[]> dcmtk = frames(codecs("jpeg-lossless-mr-sv1-pt2.dcmdjpeg.dcm"));
        assertThat(decoded.get(0)).isEqualTo(dcmtk.get(0));
        // the point transform really dropped the two low bits, so the test is not the Pt = 0 case
        assertThat(Arrays.stream(decoded.get(0)).allMatch(v -> (v & 3) == 0)).isTrue();
        assertThat(decoded.get(0)).isNotEqualTo(frames(corpus("pydicom-MR_small.dcm")).get(0));
    }

    /**
     * 12-bit DCT: the own decoder uses an exact (double precision) inverse DCT, DCMTK libjpeg's integer
     * "islow" one; they differ by rounding. Asserted: every sample within 1, and at most 5 % of them off
     * (4.2 % on this image).
     */
    @Test
    void twelveBitDctIsWithinOneOfDcmtk() throws Exception {
        int[] decoded = frames(codecs("jpeg-extended12-mr.dcm")).get(0);
        int[] dcmtk = frames(codecs("jpeg-extended12-mr.dcmdjpeg.dcm")).get(0);
        int off = 0;
        for (int i = 0; i < decoded.length; i++) {
            assertThat(Math.abs(decoded[i] - dcmtk[i])).as("sample %d", i).isLessThanOrEqualTo(1);
            off += decoded[i] != dcmtk[i] ? 1 : 0;
        }
        System.out.printf("12-bit DCT: %d of %d samples differ by 1 from DCMTK%n", off, decoded.length);
        assertThat(off).isLessThanOrEqualTo(decoded.length / 20);
    }

    @Test
    void deflatedFramesInflateToTheNativeFrame() throws Exception {
        List<int[]> deflated = frames(corpus("pydicomdata-liver_deflate.dcm"));
        List<int[]> native1 = frames(corpus("pydicom-liver_1frame.dcm"));
        assertThat(deflated).hasSize(3);
        // the one-frame file is the first frame of the same segmentation, natively encoded
        assertThat(deflated.get(0)).isEqualTo(native1.get(0));
        assertThat(deflated.get(1)).isNotEqualTo(deflated.get(0));
    }

    @Test
    void deflateOutputIsCappedAtTheFrameSize() throws Exception {
        ImagePixelModule m = new ImagePixelModule(16, 16, 1, 8, 8, 7, false, false, 1, "MONOCHROME2", false);
        int[] out = new int[m.valuesPerFrame()];
        // a bomb: 64 MiB of zeros in a few kilobytes must give one 256-byte frame and stop
        byte[] bomb = deflate(new byte[64 << 20]);
        assertThat(bomb.length).isLessThan(100_000);
        new DeflateFrameCodec().decode(bomb, m, out);
        assertThat(out).containsOnly(0);
        // too little data is the typed error, not a frame padded with garbage
        byte[] shortFrame = deflate(new byte[100]);
        assertThatThrownBy(() -> new DeflateFrameCodec().decode(shortFrame, m, out))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("100 bytes");
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThatThrownBy(() -> new DeflateFrameCodec().decode(garbage, m, out))
                .isInstanceOf(UnsupportedPixelDataException.class);
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /**
     * Multi-frame JPEG 2000 and JPEG whose frames are split over several fragments, with an empty Basic
     * Offset Table, or with a table whose offsets do not increase: frames are found by their SOC..EOC /
     * SOI markers and decode to the same values as the one-fragment-per-frame original.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pydicomdata-emri_small_jpeg_2k_lossless.dcm", "pydicom-SC_rgb_rle_2frame.dcm",
            "pydicom-examples_ybr_color.dcm"})
    void framesSplitOverFragmentsAreFoundByTheirMarkers(String name) throws Exception {
        byte[] file = Files.readAllBytes(corpus(name));
        List<int[]> expected = frames(file);
        assertThat(expected.size()).isGreaterThan(1);
        boolean rle = name.contains("rle");
        // RLE must keep one fragment per frame (PS3.5 A.4): only the offset table is varied there
        byte[] split = refragment(file, rle ? 1 : 3, null);
        assertThat(frames(split)).containsExactlyElementsOf(expected);
        // a table with an entry per frame, all 0: not increasing, so not trusted
        byte[] badTable = refragment(file, rle ? 1 : 2, new long[expected.size()]);
        assertThat(frames(badTable)).containsExactlyElementsOf(expected);
    }

    /** The file with its encapsulated frames cut into {@code pieces} fragments each, behind the given BOT. */
    static byte[] refragment(byte[] file, int pieces, long[] bot) throws Exception {
        long valueOffset;
        try (DicomStream stream = READER.open(new ByteArrayInputStream(file))) {
            valueOffset = stream.header().pixelData().orElseThrow().valueOffset();
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int p = (int) valueOffset;
        List<byte[]> fragments = new ArrayList<>();
        while (p + 8 <= file.length) {
            int tag = in.getShort(p) << 16 | in.getShort(p + 2) & 0xFFFF;
            int len = in.getInt(p + 4);
            p += 8;
            if (tag == 0xFFFEE0DD) {
                break;
            }
            fragments.add(Arrays.copyOfRange(file, p, p + len));
            p += len;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, (int) valueOffset);
        byte[] table = new byte[bot == null ? 0 : 4 * bot.length];
        for (int i = 0; bot != null && i < bot.length; i++) {
            ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * i, (int) bot[i]);
        }
        item(out, table);
        for (byte[] frame : fragments.subList(1, fragments.size())) {
            int size = (frame.length / pieces + 1) & ~1;
            for (int from = 0; from < frame.length; from += size) {
                item(out, Arrays.copyOfRange(frame, from, Math.min(frame.length, from + size)));
            }
        }
        out.write(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        out.write(file, p, file.length - p);
        return out.toByteArray();
    }

    private static void item(ByteArrayOutputStream out, byte[] value) {
        byte[] v = value.length % 2 == 0 ? value : Arrays.copyOf(value, value.length + 1);
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(v.length);
        out.write(h.array(), 0, 8);
        out.write(v, 0, v.length);
    }

    @Test
    void corruptJpegStreamsEndInTheTypedError() throws Exception {
        ImagePixelModule m = new ImagePixelModule(64, 64, 1, 16, 16, 15, true, false, 1, "MONOCHROME2", false);
        int[] out = new int[m.valuesPerFrame()];
        byte[] good = firstFragment(Files.readAllBytes(codecs("jpeg-lossless-mr-sv7.dcm")));
        JpegDecoder decoder = new JpegDecoder();
        decoder.decode(good, m, out);
        // cut anywhere: decoded (zero bits after the end) or the typed error, never anything else
        for (int cut = 0; cut < good.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(good, cut);
            try {
                decoder.decode(truncated, m, out);
            } catch (UnsupportedPixelDataException expected) {
                assertThat(expected.getMessage()).startsWith("JPEG codestream");
            }
        }
        // thousands of empty scans after the real one: refused, not decoded as thousands of frames
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        many.write(good, 0, good.length - 2);
        byte[] sos = {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 1, 0, 0};
        for (int i = 0; i < 5000; i++) {
            many.write(sos);
        }
        assertThatThrownBy(() -> decoder.decode(many.toByteArray(), m, out))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("more scans than components");
        // a frame header claiming another size is refused before anything is allocated for it
        ImagePixelModule other = new ImagePixelModule(32, 64, 1, 16, 16, 15, true, false, 1, "MONOCHROME2", false);
        assertThatThrownBy(() -> decoder.decode(good, other, new int[other.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("the header says 64x32");
    }

    private static byte[] firstFragment(byte[] file) throws Exception {
        long valueOffset;
        try (DicomStream stream = READER.open(new ByteArrayInputStream(file))) {
            valueOffset = stream.header().pixelData().orElseThrow().valueOffset();
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int p = (int) valueOffset;
        p += 8 + in.getInt(p + 4);
        return Arrays.copyOfRange(file, p + 8, p + 8 + in.getInt(p + 4));
    }
}
