package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Restart intervals in lossless JPEG, which none of the DCMTK-made or corpus files use: a minimal encoder
 * written here from T.81 H.1 (prediction reset to 2^(P-Pt-1) and first-line rules at every restart,
 * RSTn markers after byte alignment with 1-bits, FF stuffing) produces streams that must decode to the
 * encoded samples, for every predictor and for intervals of one and two lines.
 */
class JpegLosslessRestartTest {
    private static final int W = 37;
    private static final int H = 23;

    @ParameterizedTest(name = "predictor {0}, interval {1}, {2} bits")
    @CsvSource({"1,37,12", "2,37,12", "3,74,12", "4,37,16", "5,74,16", "6,37,8", "7,74,16", "7,0,16"})
    void restartIntervalsResetThePrediction(int predictor, int interval, int precision) throws Exception {
        Random random = new Random(predictor * 31L + interval);
        int[] samples = new int[W * H];
        for (int i = 0; i < samples.length; i++) {
            // smooth ramps plus noise and some extremes, so every difference category occurs
            samples[i] = i % 97 == 0 ? (1 << precision) - 1 : (i % W * 13 + random.nextInt(40)) & ((1 << precision) - 1);
        }
        byte[] stream = encode(samples, predictor, interval, precision);
        if (interval > 0) {
            assertThat(countRestartMarkers(stream)).isEqualTo((W * H - 1) / interval);
        }
        ImagePixelModule m = new ImagePixelModule(H, W, 1, precision > 8 ? 16 : 8, precision, precision - 1, false,
                false, 1, "MONOCHROME2", false);
        int[] out = new int[m.valuesPerFrame()];
        new JpegDecoder().decode(stream, m, out);
        assertThat(out).isEqualTo(samples);
    }

    private static int countRestartMarkers(byte[] b) {
        int n = 0;
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xF8) == 0xD0) {
                n++;
            }
        }
        return n;
    }

    /** Lossless encoder: one component, Huffman table with a 5-bit code k for every category k = 0..16. */
    private static byte[] encode(int[] s, int predictor, int interval, int precision) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        // SOF3: P, Y, X, Nf = 1, component 1, H = V = 1, Tq = 0
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC3, 0, 11, (byte) precision, 0, H, 0, W, 1, 1, 0x11, 0});
        byte[] dht = new byte[2 + 2 + 1 + 16 + 17];
        dht[0] = (byte) 0xFF;
        dht[1] = (byte) 0xC4;
        dht[3] = (byte) (dht.length - 2);
        dht[4] = 0x00; // DC class, table 0
        dht[5 + 4] = 17; // 17 codes of length 5
        for (int k = 0; k <= 16; k++) {
            dht[21 + k] = (byte) k;
        }
        out.writeBytes(dht);
        if (interval > 0) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, (byte) (interval >> 8), (byte) interval});
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, (byte) predictor, 0, 0});
        BitWriter bits = new BitWriter(out);
        int firstLineRow = 0;
        boolean reset = true;
        int rst = 0;
        for (int i = 0; i < s.length; i++) {
            int y = i / W;
            int x = i % W;
            if (interval > 0 && i > 0 && i % interval == 0) {
                bits.align();
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) (0xD0 + rst++ % 8)});
                reset = true;
                firstLineRow = y;
            }
            int px;
            if (reset) {
                px = 1 << (precision - 1);
            } else if (y == firstLineRow) {
                px = s[i - 1];
            } else if (x == 0) {
                px = s[i - W];
            } else {
                int ra = s[i - 1];
                int rb = s[i - W];
                int rc = s[i - W - 1];
                px = switch (predictor) {
                    case 1 -> ra;
                    case 2 -> rb;
                    case 3 -> rc;
                    case 4 -> ra + rb - rc;
                    case 5 -> ra + ((rb - rc) >> 1);
                    case 6 -> rb + ((ra - rc) >> 1);
                    default -> (ra + rb) >> 1;
                };
            }
            reset = false;
            int diff = (s[i] - px) & 0xFFFF;
            if (diff >= 0x8000) {
                diff -= 0x10000; // -32768 is coded as category 16 (+32768 modulo 2^16)
            }
            int ssss = diff == -32768 ? 16 : 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
            bits.write(ssss, 5);
            if (ssss > 0 && ssss < 16) {
                bits.write(diff > 0 ? diff : diff - 1, ssss);
            }
        }
        bits.align();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private int acc;
        private int n;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int value, int count) {
            for (int b = count - 1; b >= 0; b--) {
                acc = acc << 1 | (value >> b & 1);
                if (++n == 8) {
                    flush();
                }
            }
        }

        void align() {
            while (n != 0) {
                write(1, 1);
            }
        }

        private void flush() {
            out.write(acc);
            if (acc == 0xFF) {
                out.write(0); // byte stuffing
            }
            acc = 0;
            n = 0;
        }
    }
}
