package io.dicomflow.common.dicom.pixel;

import java.util.Arrays;

/**
 * The project's own decoder for the JPEG processes ImageIO does not cover, written from ITU-T T.81:
 * lossless (Process 14, SOF3, Annex H, predictors 1-7 and point transform, 2-16 bits, any number of
 * components without subsampling) and sequential DCT with Huffman coding (SOF0/SOF1, Annex F) for
 * one-component images of 8 or 12 bits (12-bit is what the JDK's reader refuses). Colour DCT images
 * of 8 bits stay with ImageIO, which also converts YCbCr the way the reference decoders do.
 *
 * <p>Hostile input: the frame size must equal the DICOM header's, so every allocation is bounded by the
 * declared frame; the work is bounded by the number of samples (each costs at most one Huffman code
 * of 16 bits plus 16 extra bits, or 64 coefficients), and running out of data yields zero bits, never
 * a loop.
 */
final class JpegDecoder implements FrameCodec {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int DHT = 0xC4;

    /** Zig-zag sequence index → natural (row-major) index of the 8x8 block (T.81 figure A.6). */
    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60,
        61, 54, 47, 55, 62, 63};

    /** cos((2x+1)uπ/16) · C(u)/2 for the inverse DCT of T.81 A.3.3, [u][x]. */
    private static final double[][] IDCT = new double[8][8];

    static {
        for (int u = 0; u < 8; u++) {
            double c = u == 0 ? Math.sqrt(0.5) : 1.0;
            for (int x = 0; x < 8; x++) {
                IDCT[u][x] = c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    /** What the frame header (SOFn) of a JPEG codestream says, read without decoding. */
    record FrameHeader(int sof, int precision, int lines, int samplesPerLine, int components) {
        boolean lossless() {
            return sof == 0xC3;
        }
    }

    /**
     * The first frame header of a codestream, or null if there is none before the first scan: used to
     * choose between this decoder and ImageIO.
     */
    static FrameHeader peekFrameHeader(byte[] data) {
        int pos = 2;
        while (pos + 4 <= data.length) {
            if ((data[pos] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = data[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            int length = u16(data, pos + 2);
            if (isSof(marker)) {
                if (pos + 10 > data.length) {
                    return null;
                }
                return new FrameHeader(marker, data[pos + 4] & 0xFF, u16(data, pos + 5), u16(data, pos + 7),
                        data[pos + 9] & 0xFF);
            }
            if (marker == SOS || marker == EOI || length < 2) {
                return null;
            }
            pos += 2 + length;
        }
        return null;
    }

    private static boolean isSof(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != 0xCC;
    }

    @Override
    public void decode(byte[] data, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        new Session(data, m, out).run();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static final int FAST_BITS = 9;

    /** One Huffman table as the code-length lists of T.81 annex C and the decoding tables of F.2.2.3. */
    private static final class Huffman {
        final int[] maxCode = new int[18];
        final int[] valPtr = new int[17];
        final int[] minCode = new int[17];
        final int[] values;
        /**
         * Codes of up to {@link #FAST_BITS} bits by their next FAST_BITS bits: length << 8 | value, 0 for
         * longer codes (most samples take this path instead of the length-by-length search).
         */
        final int[] fast = new int[1 << FAST_BITS];

        Huffman(int[] bits, int[] values) throws UnsupportedPixelDataException {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 16; l++) {
                valPtr[l] = k;
                minCode[l] = code;
                if (code + bits[l] > (1 << l)) {
                    throw new UnsupportedPixelDataException("JPEG Huffman table has more codes than fit " + l + " bits");
                }
                for (int i = 0; i < bits[l] && l <= FAST_BITS; i++) {
                    int first = (code + i) << (FAST_BITS - l);
                    int entry = l << 8 | values[k + i];
                    Arrays.fill(fast, first, first + (1 << (FAST_BITS - l)), entry);
                }
                code += bits[l];
                k += bits[l];
                maxCode[l] = bits[l] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    private static final class Component {
        int id;
        int h;
        int v;
        int tq;
        int index;
        int dcTable;
        int acTable;
        int pred;
    }

    /** The state of decoding one codestream. */
    private static final class Session {
        private final byte[] d;
        private final ImagePixelModule m;
        private final int[] out;
        private final Huffman[] dc = new Huffman[4];
        private final Huffman[] ac = new Huffman[4];
        private final int[][] quant = new int[4][];
        private int pos;
        private int restartInterval;
        private Component[] components;
        private int sof = -1;
        private int precision;
        private int width;
        private int height;
        private boolean anyScan;
        private int scans;
        private final double[] idctScratch = new double[64];
        // bit reader over the entropy-coded segment
        private long bitBuffer;
        private int bitCount;
        private boolean markerHit;

        Session(byte[] data, ImagePixelModule m, int[] out) {
            this.d = data;
            this.m = m;
            this.out = out;
        }

        void run() throws UnsupportedPixelDataException {
            if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != SOI) {
                throw fail("does not start with SOI");
            }
            pos = 2;
            while (true) {
                int marker = nextMarker();
                if (marker < 0 || marker == EOI) {
                    break;
                }
                if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                    continue; // stray RSTn or TEM carry no segment
                }
                int length = segmentLength();
                int end = pos + length;
                pos += 2;
                switch (marker) {
                    case DHT -> readHuffmanTables(end);
                    case DQT -> readQuantTables(end);
                    case DRI -> restartInterval = length >= 4 ? u16(d, pos) : 0;
                    case SOS -> {
                        readScan(end);
                        continue; // pos is after the entropy-coded data
                    }
                    case DNL -> { /* lines are taken from the DICOM header */ }
                    default -> {
                        if (isSof(marker)) {
                            readFrameHeader(marker, end);
                        }
                    }
                }
                pos = end;
            }
            if (!anyScan) {
                throw fail("has no scan");
            }
            if (sof == 0xC3) {
                int pt = pointTransform;
                if (pt > 0) {
                    int n = m.valuesPerFrame();
                    for (int i = 0; i < n; i++) {
                        out[i] <<= pt;
                    }
                }
            }
        }

        private int pointTransform;

        private UnsupportedPixelDataException fail(String why) {
            return new UnsupportedPixelDataException("JPEG codestream " + why);
        }

        /** The next marker code at or after pos (fill bytes skipped), pos then after it; -1 at the end. */
        private int nextMarker() {
            while (pos + 1 < d.length) {
                if ((d[pos] & 0xFF) == 0xFF) {
                    int code = d[pos + 1] & 0xFF;
                    if (code != 0xFF && code != 0x00) {
                        pos += 2;
                        return code;
                    }
                }
                pos++;
            }
            return -1;
        }

        private int segmentLength() throws UnsupportedPixelDataException {
            if (pos + 2 > d.length) {
                throw fail("ends inside a marker segment");
            }
            int length = u16(d, pos);
            if (length < 2 || pos + length > d.length) {
                throw fail("has a marker segment of length " + length + " past its end");
            }
            return length;
        }

        private void readHuffmanTables(int end) throws UnsupportedPixelDataException {
            while (pos < end) {
                if (pos + 17 > end) {
                    throw fail("has a truncated DHT segment");
                }
                int tc = (d[pos] & 0xFF) >> 4;
                int th = d[pos] & 0x0F;
                if (tc > 1 || th > 3) {
                    throw fail("has a Huffman table class/id out of range");
                }
                int[] bits = new int[17];
                int total = 0;
                for (int l = 1; l <= 16; l++) {
                    bits[l] = d[pos + l] & 0xFF;
                    total += bits[l];
                }
                pos += 17;
                if (total > 256 || pos + total > end) {
                    throw fail("has a DHT segment with " + total + " values");
                }
                int[] values = new int[total];
                for (int i = 0; i < total; i++) {
                    values[i] = d[pos + i] & 0xFF;
                }
                pos += total;
                (tc == 0 ? dc : ac)[th] = new Huffman(bits, values);
            }
        }

        private void readQuantTables(int end) throws UnsupportedPixelDataException {
            while (pos < end) {
                int pq = (d[pos] & 0xFF) >> 4;
                int tq = d[pos] & 0x0F;
                int size = pq == 0 ? 64 : 128;
                if (pq > 1 || tq > 3 || pos + 1 + size > end) {
                    throw fail("has a malformed DQT segment");
                }
                pos++;
                int[] q = new int[64];
                for (int k = 0; k < 64; k++) {
                    q[k] = pq == 0 ? d[pos + k] & 0xFF : u16(d, pos + 2 * k); // zig-zag order, as the coefficients
                }
                pos += size;
                quant[tq] = q;
            }
        }

        private void readFrameHeader(int marker, int end) throws UnsupportedPixelDataException {
            if (sof >= 0) {
                throw fail("has more than one frame header (hierarchical JPEG is not supported)");
            }
            if (marker != 0xC0 && marker != 0xC1 && marker != 0xC3) {
                throw fail("uses SOF" + (marker - 0xC0) + " (only sequential Huffman DCT and lossless are decoded)");
            }
            if (end - pos < 6) {
                throw fail("has a truncated frame header");
            }
            precision = d[pos] & 0xFF;
            int lines = u16(d, pos + 1);
            width = u16(d, pos + 3);
            int nf = d[pos + 5] & 0xFF;
            if (end - pos < 6 + 3 * nf || nf == 0) {
                throw fail("has a truncated frame header");
            }
            // Y = 0 means the height comes in a DNL segment; DICOM's Rows is authoritative then
            height = lines == 0 ? m.rows() : lines;
            if (width != m.columns() || height != m.rows() || nf != m.samplesPerPixel()) {
                throw fail("is " + width + "x" + height + "x" + nf + ", the header says " + m.columns() + "x"
                        + m.rows() + "x" + m.samplesPerPixel());
            }
            boolean lossless = marker == 0xC3;
            if (lossless ? precision < 2 || precision > 16 : precision != 8 && precision != 12) {
                throw fail("has sample precision " + precision);
            }
            if (!lossless && nf != 1) {
                throw fail("with " + nf + " components and " + precision + " bits is not supported here");
            }
            components = new Component[nf];
            for (int i = 0; i < nf; i++) {
                Component c = new Component();
                int o = pos + 6 + 3 * i;
                c.id = d[o] & 0xFF;
                c.h = (d[o + 1] & 0xFF) >> 4;
                c.v = d[o + 1] & 0x0F;
                c.tq = d[o + 2] & 0xFF;
                c.index = i;
                if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) {
                    throw fail("has invalid component parameters");
                }
                if (nf > 1 && (c.h != 1 || c.v != 1)) {
                    throw fail("has subsampled components (not supported in lossless mode here)");
                }
                components[i] = c;
            }
            sof = marker;
        }

        private void readScan(int end) throws UnsupportedPixelDataException {
            if (sof < 0) {
                throw fail("has a scan before the frame header");
            }
            // each scan decodes a whole frame: without this cap, a stream of empty scan headers would
            // cost a frame's worth of work per 10 bytes of input
            if (++scans > components.length) {
                throw fail("has more scans than components");
            }
            int ns = d[pos] & 0xFF;
            if (ns < 1 || ns > 4 || end - pos < 4 + 2 * ns) {
                throw fail("has a malformed scan header");
            }
            Component[] scan = new Component[ns];
            for (int i = 0; i < ns; i++) {
                int id = d[pos + 1 + 2 * i] & 0xFF;
                int tables = d[pos + 2 + 2 * i] & 0xFF;
                Component c = null;
                for (Component k : components) {
                    if (k.id == id) {
                        c = k;
                    }
                }
                if (c == null) {
                    throw fail("scan names an unknown component " + id);
                }
                c.dcTable = tables >> 4;
                c.acTable = tables & 0x0F;
                if (c.dcTable > 3 || c.acTable > 3) {
                    throw fail("scan selects a Huffman table out of range");
                }
                scan[i] = c;
            }
            int o = pos + 1 + 2 * ns;
            int ss = d[o] & 0xFF;
            int al = d[o + 2] & 0x0F;
            pos = end;
            bitBuffer = 0;
            bitCount = 0;
            markerHit = false;
            if (sof == 0xC3) {
                if (ss < 1 || ss > 7) {
                    throw fail("has lossless predictor " + ss);
                }
                if (al >= precision) {
                    throw fail("has point transform " + al + " for " + precision + " bits");
                }
                pointTransform = al;
                decodeLossless(scan, ss, al);
            } else {
                // Ss/Se have no meaning in a sequential scan (some encoders write 0..0); like libjpeg, ignore them
                decodeDct(scan);
            }
            anyScan = true;
            // continue with the marker that ended the entropy-coded data
            while (pos + 1 < d.length && !((d[pos] & 0xFF) == 0xFF && (d[pos + 1] & 0xFF) != 0
                    && !((d[pos + 1] & 0xFF) >= 0xD0 && (d[pos + 1] & 0xFF) <= 0xD7))) {
                pos++;
            }
        }

        // ---- entropy-coded data -------------------------------------------------------------------

        /** Tops up the bit buffer to at least 25 bits; past a marker or the end it shifts in zeros. */
        private void fill() {
            while (bitCount <= 56 - 8) {
                int b = 0;
                if (!markerHit && pos < d.length) {
                    b = d[pos] & 0xFF;
                    if (b == 0xFF) {
                        int next = pos + 1 < d.length ? d[pos + 1] & 0xFF : -1;
                        if (next == 0x00) {
                            pos += 2;
                        } else if (next == 0xFF) {
                            pos++; // fill byte before a marker
                            continue;
                        } else {
                            markerHit = true;
                            b = 0;
                        }
                    } else {
                        pos++;
                    }
                } else if (bitCount >= 32) {
                    return;
                }
                bitBuffer = bitBuffer << 8 | b;
                bitCount += 8;
            }
        }

        private int bits(int n) {
            if (n == 0) {
                return 0;
            }
            if (bitCount < n) {
                fill();
            }
            bitCount -= n;
            return (int) (bitBuffer >>> bitCount) & ((1 << n) - 1);
        }

        private int decodeHuffman(Huffman h) throws UnsupportedPixelDataException {
            if (h == null) {
                throw fail("uses an undefined Huffman table");
            }
            if (bitCount < 16) {
                fill();
            }
            int peek = (int) (bitBuffer >>> (bitCount - 16)) & 0xFFFF;
            int entry = h.fast[peek >>> (16 - FAST_BITS)];
            if (entry != 0) {
                bitCount -= entry >>> 8;
                return entry & 0xFF;
            }
            for (int l = FAST_BITS + 1; l <= 16; l++) {
                int code = peek >>> (16 - l);
                if (code <= h.maxCode[l]) {
                    bitCount -= l;
                    int index = h.valPtr[l] + code - h.minCode[l];
                    if (index < 0 || index >= h.values.length) {
                        throw fail("has an invalid Huffman code");
                    }
                    return h.values[index];
                }
            }
            throw fail("has an invalid Huffman code");
        }

        /** T.81 F.2.2.1 EXTEND: the s-bit magnitude v as a signed difference. */
        private static int extend(int v, int s) {
            return s == 0 ? 0 : v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
        }

        /** At the end of a restart interval: byte-align and step over the RSTn marker. */
        private void restart() {
            bitBuffer = 0;
            bitCount = 0;
            markerHit = false;
            // padding bits are dropped; bytes an encoder left before the marker are skipped
            while (pos + 1 < d.length && !((d[pos] & 0xFF) == 0xFF && (d[pos + 1] & 0xFF) != 0
                    && (d[pos + 1] & 0xFF) != 0xFF)) {
                pos++;
            }
            if (pos + 1 < d.length && (d[pos] & 0xFF) == 0xFF && (d[pos + 1] & 0xF8) == 0xD0) {
                pos += 2;
            }
            for (Component c : components) {
                c.pred = 0;
            }
        }

        // ---- lossless (Annex H) ------------------------------------------------------------------

        private void decodeLossless(Component[] scan, int predictor, int pt) throws UnsupportedPixelDataException {
            int nf = components.length;
            int w = width;
            int mask = (1 << 16) - 1;
            int initial = 1 << (precision - pt - 1);
            Huffman[] tables = new Huffman[scan.length];
            for (int i = 0; i < scan.length; i++) {
                tables[i] = dc[scan[i].dcTable];
                if (tables[i] == null) {
                    throw fail("uses an undefined Huffman table");
                }
            }
            long mcus = (long) w * height;
            int untilRestart = restartInterval;
            // the row in which the current restart interval began uses the first-line rule (H.1.2.1)
            int firstLineRow = 0;
            boolean resetNext = true;
            for (long mcu = 0; mcu < mcus; mcu++) {
                if (restartInterval > 0) {
                    if (untilRestart == 0) {
                        restart();
                        untilRestart = restartInterval;
                        resetNext = true;
                        firstLineRow = (int) (mcu / w);
                    }
                    untilRestart--;
                }
                int y = (int) (mcu / w);
                int x = (int) (mcu % w);
                int pixel = y * w + x;
                for (int i = 0; i < scan.length; i++) {
                    int c = scan[i].index;
                    int at = pixel * nf + c;
                    int px;
                    if (resetNext) {
                        px = initial;
                    } else if (y == firstLineRow) {
                        px = out[at - nf]; // Ra
                    } else if (x == 0) {
                        px = out[at - w * nf]; // Rb
                    } else {
                        int ra = out[at - nf];
                        int rb = out[at - w * nf];
                        int rc = out[at - w * nf - nf];
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
                    int s = decodeHuffman(tables[i]);
                    int diff;
                    if (s == 0) {
                        diff = 0;
                    } else if (s == 16) {
                        diff = 32768; // H.1.2.2: no additional bits follow
                    } else if (s < 16) {
                        diff = extend(bits(s), s);
                    } else {
                        throw fail("has difference category " + s);
                    }
                    // modulo 2^16 (H.1.2.1); Bits Stored masking happens later, as for every codec
                    out[at] = (px + diff) & mask;
                }
                resetNext = false;
            }
        }

        // ---- sequential DCT (Annex F), one component ----------------------------------------------

        private void decodeDct(Component[] scan) throws UnsupportedPixelDataException {
            Component c = scan[0];
            int[] q = quant[c.tq];
            if (q == null) {
                throw fail("uses an undefined quantisation table");
            }
            Huffman dcTable = dc[c.dcTable];
            Huffman acTable = ac[c.acTable];
            if (dcTable == null || acTable == null) {
                throw fail("uses an undefined Huffman table");
            }
            int blocksPerLine = (width + 7) / 8;
            int blockRows = (height + 7) / 8;
            int[] coef = new int[64];
            int[] pixels = new int[64];
            int maxValue = (1 << precision) - 1;
            int levelShift = 1 << (precision - 1);
            int untilRestart = restartInterval;
            c.pred = 0;
            for (int by = 0; by < blockRows; by++) {
                for (int bx = 0; bx < blocksPerLine; bx++) {
                    if (restartInterval > 0) {
                        if (untilRestart == 0) {
                            restart();
                            untilRestart = restartInterval;
                        }
                        untilRestart--;
                    }
                    Arrays.fill(coef, 0);
                    int t = decodeHuffman(dcTable);
                    if (t > 15) {
                        throw fail("has DC category " + t);
                    }
                    c.pred += extend(bits(t), t);
                    coef[0] = c.pred * q[0];
                    for (int k = 1; k < 64; k++) {
                        int rs = decodeHuffman(acTable);
                        int r = rs >> 4;
                        int s = rs & 15;
                        if (s == 0) {
                            if (r != 15) {
                                break; // end of block
                            }
                            k += 15;
                            continue;
                        }
                        k += r;
                        if (k > 63) {
                            throw fail("has a coefficient run past the end of a block");
                        }
                        coef[ZIGZAG[k]] = extend(bits(s), s) * q[k];
                    }
                    idct(coef, pixels, idctScratch, levelShift, maxValue);
                    int x0 = bx * 8;
                    int y0 = by * 8;
                    for (int yy = 0; yy < 8 && y0 + yy < height; yy++) {
                        int row = (y0 + yy) * width;
                        for (int xx = 0; xx < 8 && x0 + xx < width; xx++) {
                            out[row + x0 + xx] = pixels[yy * 8 + xx];
                        }
                    }
                }
            }
        }

        /** Separable inverse DCT in double precision (T.81 A.3.3), level shift, rounding and clamping. */
        private static void idct(int[] coef, int[] pixels, double[] tmp, int levelShift, int maxValue) {
            for (int u = 0; u < 8; u++) { // columns of frequencies: transform along v for each u
                for (int y = 0; y < 8; y++) {
                    double s = 0;
                    for (int v = 0; v < 8; v++) {
                        int cf = coef[v * 8 + u];
                        if (cf != 0) {
                            s += IDCT[v][y] * cf;
                        }
                    }
                    tmp[y * 8 + u] = s;
                }
            }
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double s = 0;
                    for (int u = 0; u < 8; u++) {
                        s += IDCT[u][x] * tmp[y * 8 + u];
                    }
                    int v = (int) Math.round(s) + levelShift;
                    pixels[y * 8 + x] = v < 0 ? 0 : Math.min(v, maxValue);
                }
            }
        }
    }
}
