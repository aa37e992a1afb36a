package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * HTJ2K codestreams written by OpenJPH's ojph_compress (see resources/htj2k/generate.py): reversible ones
 * must decode to the original samples exactly, irreversible ones to ojph_expand's samples within ±1 (float
 * rounding of the 9/7 transform and the colour transform may differ in the last place).
 */
class HtJ2kDecoderTest {
    /** One generated case: the line of cases.tsv. */
    record Case(String name, int columns, int rows, int samples, int bits, boolean signed, boolean reversible) {
        @Override
        public String toString() {
            return name;
        }

        ImagePixelModule module() {
            return new ImagePixelModule(rows, columns, samples, bits <= 8 ? 8 : 16, bits, bits - 1, signed, false, 1,
                    samples == 1 ? "MONOCHROME2" : "RGB", false);
        }

        byte[] codestream() {
            return resource(name + ".j2c");
        }

        int[] expected() {
            ByteBuffer b = ByteBuffer.wrap(resource(name + ".raw")).order(ByteOrder.LITTLE_ENDIAN);
            int[] v = new int[rows * columns * samples];
            for (int i = 0; i < v.length; i++) {
                short s = b.getShort();
                v[i] = signed ? s : s & 0xFFFF;
            }
            return v;
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = Objects.requireNonNull(HtJ2kDecoderTest.class.getResourceAsStream("/htj2k/" + name),
                name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String line : new String(resource("cases.tsv"), StandardCharsets.US_ASCII).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            cases.add(new Case(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), f[5].equals("1"), f[6].equals("1")));
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodesTheSamplesOpenJphEncoded(Case c) throws Exception {
        ImagePixelModule m = c.module();
        int[] out = new int[m.valuesPerFrame()];
        HtJ2kDecoder.decode(c.codestream(), m, out);
        int[] expected = c.expected();
        if (c.reversible()) {
            assertThat(out).as("lossless: the original samples").containsExactly(expected);
        } else {
            int worst = 0;
            int exact = 0;
            for (int i = 0; i < out.length; i++) {
                worst = Math.max(worst, Math.abs(out[i] - expected[i]));
                exact += out[i] == expected[i] ? 1 : 0;
            }
            assertThat(worst).as("largest difference to ojph_expand").isLessThanOrEqualTo(1);
            assertThat(exact).as("samples equal to ojph_expand's").isGreaterThan(out.length * 9 / 10);
        }
    }

    /**
     * The corpus HTJ2K file (pydicom-data HTJ2K_08_RGB.dcm, 640x480 RGB, 9/7 + ICT, RPCL, 5 levels), decoded
     * through the codec registry like the analyser does. The reference decoders of the corpus could not
     * decode it; ojph_expand's output is summarised as sums of 8x8 blocks per channel: every block sum here
     * must be within 64 (each sample within ±1) and nine in ten blocks must match exactly.
     */
    @Test
    void corpusFileDecodesLikeOpenJph() throws Exception {
        int[] v = JpegLsDecoderTest.decodeAll(io.dicomflow.common.dicom.CorpusReference.folder("dicom")
                .resolve("pydicomdata-HTJ2K_08_RGB.dcm"), "1.2.840.10008.1.2.4.203");
        assertThat(v).hasSize(640 * 480 * 3);
        ByteBuffer sums = ByteBuffer.wrap(resource("corpus-HTJ2K_08_RGB.ojph-blocksums")).order(ByteOrder.LITTLE_ENDIAN);
        int exact = 0;
        int worst = 0;
        for (int by = 0; by < 60; by++) {
            for (int bx = 0; bx < 80; bx++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int y = by * 8; y < by * 8 + 8; y++) {
                        for (int x = bx * 8; x < bx * 8 + 8; x++) {
                            sum += v[(y * 640 + x) * 3 + c];
                        }
                    }
                    int expected = sums.getShort() & 0xFFFF;
                    worst = Math.max(worst, Math.abs(sum - expected));
                    exact += sum == expected ? 1 : 0;
                }
            }
        }
        assertThat(worst).as("largest block-sum difference to ojph_expand").isLessThanOrEqualTo(64);
        assertThat(exact).as("blocks equal to ojph_expand's").isGreaterThan(60 * 80 * 3 * 9 / 10);
    }

    /** The three HTJ2K transfer syntaxes reach this decoder through the registry, with JPEG 2000 frame boundaries. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202",
        "1.2.840.10008.1.2.4.203"})
    void everyHtj2kSyntaxIsRegistered(String uid) throws Exception {
        PixelDecoders.Registration r = PixelDecoders.registration(io.dicomflow.common.dicom.TransferSyntax.of(uid).codec())
                .orElseThrow();
        assertThat(r.boundaries()).isEqualTo(EncapsulatedFragments.Boundaries.JPEG_2000);
        Case c = cases().stream().filter(k -> k.name().equals("rgb8_rct")).findFirst().orElseThrow();
        int[] out = new int[c.module().valuesPerFrame()];
        r.codec().decode(c.codestream(), c.module(), out);
        assertThat(out).containsExactly(c.expected());
    }

    @Test
    void aCodestreamOfAnotherSizeThanTheHeaderIsRefused() {
        Case c = cases().get(0);
        ImagePixelModule m = new ImagePixelModule(c.rows() + 1, c.columns(), 1, 8, 8, 7, false, false, 1,
                "MONOCHROME2", false);
        assertThatThrownBy(() -> HtJ2kDecoder.decode(c.codestream(), m, new int[m.valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("describes");
    }
}
