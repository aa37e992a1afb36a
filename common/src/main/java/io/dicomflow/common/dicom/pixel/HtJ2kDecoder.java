package io.dicomflow.common.dicom.pixel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * High-Throughput JPEG 2000 decoder (ITU-T T.814 | ISO/IEC 15444-15 block coder inside the ITU-T T.800 |
 * ISO/IEC 15444-1 codestream) for DICOM HTJ2K Lossless (1.2.840.10008.1.2.4.201), HTJ2K Lossless RPCL
 * (.202) and HTJ2K (.203), written from the recommendations.
 *
 * <p>Decoded: SIZ/CAP/COD/COC/QCD/QCC main headers, any number of tiles and tile-parts, quality layers,
 * default and user-defined precincts, the five progression orders, SOP/EPH markers, HT cleanup passes,
 * reversible 5/3 and irreversible 9/7 inverse wavelets with any number of levels, no or scalar
 * (derived/expounded) quantisation, RCT and ICT, 1 to 16 bit signed or unsigned components.
 *
 * <p>Not decoded (typed {@link UnsupportedPixelDataException}): HT SigProp/MagRef refinement passes and
 * placeholder passes (encoders for DICOM emit a single cleanup pass per code-block; no reference encoder
 * available here writes refinement passes, so their decoding could not be checked), Part 1 (EBCOT)
 * code-blocks, subsampled components, POC, PPM/PPT, RGN and coding parameters in tile-part headers.
 *
 * <p>Hostile streams: the codestream must describe exactly the frame of the DICOM header (size and
 * components), so every allocation is bounded by the declared frame or the input length; each packet
 * consumes input, and a tile whose data ends before its last packet is an error (truncation is never
 * decoded silently into missing detail).
 */
final class HtJ2kDecoder {
    private static final int SOC = 0xFF4F;
    private static final int CAP = 0xFF50;
    private static final int SIZ = 0xFF51;
    private static final int COD = 0xFF52;
    private static final int COC = 0xFF53;
    private static final int QCD = 0xFF5C;
    private static final int QCC = 0xFF5D;
    private static final int SOT = 0xFF90;
    private static final int SOD = 0xFF93;
    private static final int EOC = 0xFFD9;
    private static final int MAX_LEVELS = 32;

    private final byte[] d;
    private final ImagePixelModule m;
    private final int[] out;

    // SIZ
    private int xsiz;
    private int ysiz;
    private int xosiz;
    private int yosiz;
    private int xtsiz;
    private int ytsiz;
    private int xtosiz;
    private int ytosiz;
    private int ncomp;
    private int[] depth;
    private boolean[] signed;
    // COD (+COC per component)
    private int scod;
    private int progression;
    private int layers;
    private int mct;
    private Coding[] coding;
    private Quant[] quant;
    private boolean codSeen;
    private boolean qcdSeen;

    /** Per-component coding style (COD, or COC for that component). */
    private record Coding(int levels, int xcb, int ycb, int style, boolean reversible, int[] ppx, int[] ppy) {
    }

    /** Per-component quantisation (QCD, or QCC): style 0 none, 1 derived, 2 expounded. */
    private record Quant(int style, int guard, int[] eps, int[] mu) {
    }

    private HtJ2kDecoder(byte[] d, ImagePixelModule m, int[] out) {
        this.d = d;
        this.m = m;
        this.out = out;
    }

    /** Decodes one frame's codestream into {@code out}, samples interleaved per pixel. */
    static void decode(byte[] codestream, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        try {
            new HtJ2kDecoder(codestream, m, out).run();
        } catch (ArrayIndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException e) {
            // a bounds check the parser missed: still the typed error, never an unchecked exception
            throw new UnsupportedPixelDataException("corrupt HTJ2K codestream (" + e.getClass().getSimpleName() + ")");
        }
    }

    private int u8(int p) throws UnsupportedPixelDataException {
        if (p < 0 || p >= d.length) {
            throw corrupt("truncated codestream");
        }
        return d[p] & 0xFF;
    }

    private int u16(int p) throws UnsupportedPixelDataException {
        return u8(p) << 8 | u8(p + 1);
    }

    private int u32(int p) throws UnsupportedPixelDataException {
        long v = (long) u16(p) << 16 | u16(p + 2);
        if (v > Integer.MAX_VALUE) {
            throw corrupt("32-bit field out of range");
        }
        return (int) v;
    }

    private void run() throws UnsupportedPixelDataException {
        if (u16(0) != SOC) {
            throw corrupt("the frame does not start with an SOC marker (JP2 files are not allowed in DICOM)");
        }
        int p = 2;
        // main header
        while (true) {
            int marker = u16(p);
            if (marker == SOT) {
                break;
            }
            int len = u16(p + 2);
            if (len < 2 || p + 2 + len > d.length) {
                throw corrupt("marker segment " + Integer.toHexString(marker) + " overruns the codestream");
            }
            int s = p + 4;
            int segEnd = p + 2 + len;
            switch (marker) {
                case SIZ -> readSiz(s, segEnd);
                case COD -> readCod(s, segEnd);
                case COC -> readCoc(s, segEnd);
                case QCD -> readQcd(s, segEnd);
                case QCC -> readQcc(s, segEnd);
                case CAP, 0xFF59, 0xFF55, 0xFF57, 0xFF63, 0xFF64 -> {
                    // CAP, CPF, TLM, PLM, CRG, COM: nothing needed for decoding
                }
                default -> throw unsupported("marker " + Integer.toHexString(marker) + " in the main header");
            }
            p = segEnd;
        }
        if (depth == null || !codSeen || !qcdSeen) {
            throw corrupt("SIZ, COD or QCD missing from the main header");
        }
        for (int c = 0; c < ncomp; c++) {
            if ((coding[c].style & 0x40) == 0 || (coding[c].style & 0x80) != 0) {
                throw unsupported("code-blocks that are not all HT (Part 1 or mixed block coding)");
            }
        }
        int tilesX = ceilDiv(xsiz - xtosiz, xtsiz);
        int tilesY = ceilDiv(ysiz - ytosiz, ytsiz);
        long tileCount = (long) tilesX * tilesY;
        if (tileCount > 65535 || tileCount < 1) {
            throw corrupt("invalid tile grid");
        }
        List<List<int[]>> tileData = new ArrayList<>();
        for (int t = 0; t < tileCount; t++) {
            tileData.add(new ArrayList<>());
        }
        // tile-parts
        while (p + 2 <= d.length) {
            int marker = u16(p);
            if (marker == EOC) {
                break;
            }
            if (marker != SOT || u16(p + 2) != 10) {
                throw corrupt("expected SOT, found " + Integer.toHexString(marker));
            }
            int isot = u16(p + 4);
            int psot = u32(p + 6);
            int partEnd = psot == 0 ? eocPosition() : p + psot;
            if (isot >= tileCount || partEnd > d.length || partEnd < p + 14) {
                throw corrupt("invalid tile-part (tile " + isot + ", length " + psot + ")");
            }
            int q = p + 12;
            while (true) {
                int mk = u16(q);
                if (mk == SOD) {
                    q += 2;
                    break;
                }
                int len = u16(q + 2);
                if (len < 2 || q + 2 + len > partEnd) {
                    throw corrupt("tile-part header overruns the tile-part");
                }
                if (mk != 0xFF58 && mk != 0xFF64) { // PLT, COM
                    throw unsupported("marker " + Integer.toHexString(mk) + " in a tile-part header");
                }
                q += 2 + len;
            }
            if (q > partEnd) {
                throw corrupt("SOD beyond the tile-part");
            }
            tileData.get(isot).add(new int[] {q, partEnd - q});
            p = partEnd;
        }
        for (int t = 0; t < tileCount; t++) {
            List<int[]> parts = tileData.get(t);
            if (parts.isEmpty()) {
                throw corrupt("tile " + t + " has no tile-part (truncated codestream?)");
            }
            int total = 0;
            for (int[] part : parts) {
                total += part[1];
            }
            byte[] data = new byte[total];
            int at = 0;
            for (int[] part : parts) {
                System.arraycopy(d, part[0], data, at, part[1]);
                at += part[1];
            }
            new Tile(t % tilesX, t / tilesX, data).decode();
        }
    }

    /** Where a tile-part with Psot 0 ends: at EOC (DICOM may add one pad byte after it), else at the end. */
    private int eocPosition() {
        int n = d.length;
        for (int pad = 0; pad <= 1 && n - pad >= 2; pad++) {
            int e = n - pad;
            if ((d[e - 2] & 0xFF) == 0xFF && (d[e - 1] & 0xFF) == 0xD9 && (pad == 0 || d[n - 1] == 0)) {
                return e - 2;
            }
        }
        return n;
    }

    private void readSiz(int s, int end) throws UnsupportedPixelDataException {
        // Rsiz (s) is not trusted: whether the code-blocks are HT is decided by the COD block style
        xsiz = u32(s + 2);
        ysiz = u32(s + 6);
        xosiz = u32(s + 10);
        yosiz = u32(s + 14);
        xtsiz = u32(s + 18);
        ytsiz = u32(s + 22);
        xtosiz = u32(s + 26);
        ytosiz = u32(s + 30);
        ncomp = u16(s + 34);
        if (end != s + 36 + 3 * ncomp) {
            throw corrupt("SIZ length does not match its component count");
        }
        if (xsiz - xosiz != m.columns() || ysiz - yosiz != m.rows() || ncomp != m.samplesPerPixel()) {
            throw unsupported("the codestream describes " + (xsiz - xosiz) + "x" + (ysiz - yosiz) + "x" + ncomp
                    + ", the header " + m.columns() + "x" + m.rows() + "x" + m.samplesPerPixel());
        }
        if (xtsiz < 1 || ytsiz < 1 || xtosiz > xosiz || ytosiz > yosiz
                || (long) xtosiz + xtsiz <= xosiz || (long) ytosiz + ytsiz <= yosiz) {
            throw corrupt("invalid tile size or offset");
        }
        depth = new int[ncomp];
        signed = new boolean[ncomp];
        for (int c = 0; c < ncomp; c++) {
            int ssiz = u8(s + 36 + 3 * c);
            depth[c] = (ssiz & 0x7F) + 1;
            signed[c] = (ssiz & 0x80) != 0;
            if (depth[c] > 16) {
                throw unsupported("component precision " + depth[c] + " above 16 bits");
            }
            if (u8(s + 37 + 3 * c) != 1 || u8(s + 38 + 3 * c) != 1) {
                throw unsupported("subsampled components");
            }
        }
        coding = new Coding[ncomp];
        quant = new Quant[ncomp];
    }

    private void readCod(int s, int end) throws UnsupportedPixelDataException {
        if (depth == null) {
            throw corrupt("COD before SIZ");
        }
        scod = u8(s);
        if ((scod & ~0x07) != 0) {
            // Part 2 precinct/code-block partition origins would move every boundary computed here
            throw unsupported("coding style flags 0x" + Integer.toHexString(scod) + " (Part 2 partition origins)");
        }
        progression = u8(s + 1);
        layers = u16(s + 2);
        mct = u8(s + 4);
        if (layers < 1 || progression > 4 || mct > 1) {
            throw corrupt("invalid COD (layers " + layers + ", order " + progression + ", MCT " + mct + ")");
        }
        Coding c = readSpcod(s + 5, end, (scod & 1) != 0);
        for (int i = 0; i < ncomp; i++) {
            coding[i] = c;
        }
        codSeen = true;
    }

    private void readCoc(int s, int end) throws UnsupportedPixelDataException {
        if (!codSeen) {
            throw unsupported("COC before COD");
        }
        int c = ncomp < 257 ? u8(s) : u16(s);
        int at = s + (ncomp < 257 ? 1 : 2);
        if (c >= ncomp) {
            throw corrupt("COC for component " + c);
        }
        int scoc = u8(at);
        coding[c] = readSpcod(at + 1, end, (scoc & 1) != 0);
    }

    private Coding readSpcod(int s, int end, boolean precincts) throws UnsupportedPixelDataException {
        int levels = u8(s);
        int xcb = (u8(s + 1) & 0xF) + 2;
        int ycb = (u8(s + 2) & 0xF) + 2;
        int style = u8(s + 3);
        int transform = u8(s + 4);
        if (levels > MAX_LEVELS || xcb > 10 || ycb > 10 || xcb + ycb > 12 || transform > 1) {
            throw corrupt("invalid coding style (levels " + levels + ", block " + xcb + "/" + ycb + ")");
        }
        int[] ppx = new int[levels + 1];
        int[] ppy = new int[levels + 1];
        for (int r = 0; r <= levels; r++) {
            if (precincts) {
                int v = u8(s + 5 + r);
                ppx[r] = v & 0xF;
                ppy[r] = v >> 4;
                if (r > 0 && (ppx[r] == 0 || ppy[r] == 0)) {
                    throw corrupt("precinct size 1 above resolution 0");
                }
            } else {
                ppx[r] = 15;
                ppy[r] = 15;
            }
        }
        if (s + 5 + (precincts ? levels + 1 : 0) != end) {
            throw corrupt("coding style length mismatch");
        }
        return new Coding(levels, xcb, ycb, style, transform == 1, ppx, ppy);
    }

    private void readQcd(int s, int end) throws UnsupportedPixelDataException {
        if (depth == null) {
            throw corrupt("QCD before SIZ");
        }
        Quant q = readSqc(s, end);
        for (int i = 0; i < ncomp; i++) {
            quant[i] = q;
        }
        qcdSeen = true;
    }

    private void readQcc(int s, int end) throws UnsupportedPixelDataException {
        if (!qcdSeen) {
            throw unsupported("QCC before QCD");
        }
        int c = ncomp < 257 ? u8(s) : u16(s);
        if (c >= ncomp) {
            throw corrupt("QCC for component " + c);
        }
        quant[c] = readSqc(s + (ncomp < 257 ? 1 : 2), end);
    }

    private Quant readSqc(int s, int end) throws UnsupportedPixelDataException {
        int sq = u8(s);
        int style = sq & 0x1F;
        int guard = sq >> 5;
        int n;
        int[] eps;
        int[] mu;
        if (style == 0) {
            n = end - s - 1;
            eps = new int[n];
            mu = new int[n];
            for (int i = 0; i < n; i++) {
                eps[i] = u8(s + 1 + i) >> 3;
            }
        } else if (style == 1 || style == 2) {
            n = (end - s - 1) / 2;
            if (n < 1 || (style == 1 && n != 1)) {
                throw corrupt("quantisation length mismatch");
            }
            eps = new int[n];
            mu = new int[n];
            for (int i = 0; i < n; i++) {
                int v = u16(s + 1 + 2 * i);
                eps[i] = v >> 11;
                mu[i] = v & 0x7FF;
            }
        } else {
            throw corrupt("quantisation style " + style);
        }
        if (n < 1 || n > 3 * MAX_LEVELS + 1) {
            throw corrupt("quantisation length mismatch");
        }
        return new Quant(style, guard, eps, mu);
    }

    /** Exponent and mantissa of band {@code b} (0 LL, then HL, LH, HH per level from the lowest). */
    private static int[] bandQuant(Quant q, int levels, int b) throws UnsupportedPixelDataException {
        if (q.style == 1) {
            int nb = b == 0 ? levels : levels - (b - 1) / 3;
            int eps = q.eps[0] - levels + nb;
            if (eps < 0) {
                throw corrupt("derived quantisation exponent below zero");
            }
            return new int[] {eps, q.mu[0]};
        }
        if (b >= q.eps.length) {
            throw corrupt("quantisation values missing for band " + b);
        }
        return new int[] {q.eps[b], q.mu[b]};
    }

    private static int ceilDiv(long a, long b) {
        return (int) -Math.floorDiv(-a, b);
    }

    private static int ceilShift(int a, int n) {
        return n >= 31 ? (a > 0 ? 1 : 0) : ceilDiv(a, 1L << n);
    }

    private static UnsupportedPixelDataException corrupt(String why) {
        return new UnsupportedPixelDataException("corrupt HTJ2K codestream: " + why);
    }

    private static UnsupportedPixelDataException unsupported(String what) {
        return new UnsupportedPixelDataException("HTJ2K: " + what + " is not supported");
    }

    /** Packet header bits (T.800 B.10.1): most significant first, a stuffed bit after each 0xFF. */
    private static final class HeaderBits {
        private final byte[] b;
        private int pos;
        private int cur;
        private int left;
        private boolean lastFf;

        HeaderBits(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        int bit() throws UnsupportedPixelDataException {
            if (left == 0) {
                if (pos >= b.length) {
                    throw corrupt("packet header beyond the tile data");
                }
                cur = b[pos++] & 0xFF;
                left = lastFf ? 7 : 8;
                lastFf = cur == 0xFF;
            }
            return cur >> --left & 1;
        }

        int bits(int n) throws UnsupportedPixelDataException {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        /** Ends the header: the rest of the byte, and the byte after an 0xFF, are padding. */
        int align() {
            left = 0;
            if (lastFf) {
                pos++;
                lastFf = false;
            }
            return pos;
        }
    }

    /** Tag tree (T.800 B.10.2) over a grid of code-blocks. */
    private static final class TagTree {
        private final int levels;
        private final int[] w;
        private final int[] h;
        private final int[] offset;
        private final int[] low;
        private final boolean[] known;

        TagTree(int width, int height) {
            int n = 1;
            int ww = width;
            int hh = height;
            while (ww > 1 || hh > 1) {
                ww = (ww + 1) / 2;
                hh = (hh + 1) / 2;
                n++;
            }
            levels = n;
            w = new int[n];
            h = new int[n];
            offset = new int[n];
            ww = width;
            hh = height;
            int total = 0;
            for (int i = 0; i < n; i++) {
                w[i] = ww;
                h[i] = hh;
                offset[i] = total;
                total += ww * hh;
                ww = (ww + 1) / 2;
                hh = (hh + 1) / 2;
            }
            low = new int[total];
            known = new boolean[total];
        }

        /** The leaf's value if it is below {@code threshold}, else {@code Integer.MAX_VALUE}. */
        int decode(HeaderBits in, int x, int y, int threshold) throws UnsupportedPixelDataException {
            int carried = 0;
            int idx = 0;
            for (int lev = levels - 1; lev >= 0; lev--) {
                idx = offset[lev] + (y >> lev) * w[lev] + (x >> lev);
                if (low[idx] < carried) {
                    low[idx] = carried;
                }
                while (!known[idx] && low[idx] < threshold) {
                    if (in.bit() == 1) {
                        known[idx] = true;
                    } else {
                        low[idx]++;
                    }
                }
                if (!known[idx]) {
                    return Integer.MAX_VALUE;
                }
                carried = low[idx];
            }
            return low[idx];
        }
    }

    /** A code-block: its area in band coordinates and what the packets said about it. */
    private static final class Block {
        final int x0;
        final int y0;
        final int x1;
        final int y1;
        boolean included;
        int zero;
        int passes;
        int lblock = 3;
        int dataOffset = -1;
        int dataLength;

        Block(int x0, int y0, int x1, int y1) {
            this.x0 = x0;
            this.y0 = y0;
            this.x1 = x1;
            this.y1 = y1;
        }
    }

    /** One subband of a tile-component. */
    private static final class Band {
        final int type; // 0 LL, 1 HL, 2 LH, 3 HH
        final int index; // quantisation index
        final int x0;
        final int y0;
        final int x1;
        final int y1;
        int mb;
        float delta;
        int[] ints;
        float[] floats;

        Band(int type, int index, int x0, int y0, int x1, int y1) {
            this.type = type;
            this.index = index;
            this.x0 = x0;
            this.y0 = y0;
            this.x1 = x1;
            this.y1 = y1;
        }

        int width() {
            return x1 - x0;
        }

        int height() {
            return y1 - y0;
        }
    }

    /** The code-blocks of one band inside one precinct. */
    private record PrecinctBand(Band band, int cbw, int cbh, Block[] blocks, TagTree inclusion, TagTree zero) {
    }

    /** One resolution level of a tile-component. */
    private static final class Resolution {
        final int x0;
        final int y0;
        final int x1;
        final int y1;
        final int ppx;
        final int ppy;
        final int precinctsX;
        final int precinctsY;
        final Band[] bands;
        final PrecinctBand[][] precincts;

        Resolution(int x0, int y0, int x1, int y1, int ppx, int ppy, Band[] bands) {
            this.x0 = x0;
            this.y0 = y0;
            this.x1 = x1;
            this.y1 = y1;
            this.ppx = ppx;
            this.ppy = ppy;
            this.precinctsX = x1 > x0 ? ceilShift(x1, ppx) - (x0 >> ppx) : 0;
            this.precinctsY = y1 > y0 ? ceilShift(y1, ppy) - (y0 >> ppy) : 0;
            this.bands = bands;
            this.precincts = new PrecinctBand[precinctsX * precinctsY][];
        }
    }

    private final class Tile {
        private final byte[] data;
        private final int tx0;
        private final int ty0;
        private final int tx1;
        private final int ty1;
        private final Resolution[][] res;
        private int pos;

        Tile(int p, int q, byte[] data) throws UnsupportedPixelDataException {
            this.data = data;
            tx0 = (int) Math.max((long) xtosiz + (long) p * xtsiz, xosiz);
            ty0 = (int) Math.max((long) ytosiz + (long) q * ytsiz, yosiz);
            tx1 = (int) Math.min((long) xtosiz + (long) (p + 1) * xtsiz, xsiz);
            ty1 = (int) Math.min((long) ytosiz + (long) (q + 1) * ytsiz, ysiz);
            res = new Resolution[ncomp][];
            for (int c = 0; c < ncomp; c++) {
                res[c] = resolutions(c);
            }
        }

        private Resolution[] resolutions(int c) throws UnsupportedPixelDataException {
            Coding cod = coding[c];
            int nl = cod.levels;
            Resolution[] r = new Resolution[nl + 1];
            for (int i = 0; i <= nl; i++) {
                int shift = nl - i;
                int rx0 = ceilShift(tx0, shift);
                int ry0 = ceilShift(ty0, shift);
                int rx1 = ceilShift(tx1, shift);
                int ry1 = ceilShift(ty1, shift);
                Band[] bands;
                if (i == 0) {
                    bands = new Band[] {new Band(0, 0, rx0, ry0, rx1, ry1)};
                } else {
                    int b = 1 + 3 * (i - 1);
                    int lx0 = ceilShift(rx0, 1);
                    int lx1 = ceilShift(rx1, 1);
                    int ly0 = ceilShift(ry0, 1);
                    int ly1 = ceilShift(ry1, 1);
                    int hx0 = ceilDiv(rx0 - 1L, 2);
                    int hx1 = ceilDiv(rx1 - 1L, 2);
                    int hy0 = ceilDiv(ry0 - 1L, 2);
                    int hy1 = ceilDiv(ry1 - 1L, 2);
                    bands = new Band[] {new Band(1, b, hx0, ly0, hx1, ly1), new Band(2, b + 1, lx0, hy0, lx1, hy1),
                        new Band(3, b + 2, hx0, hy0, hx1, hy1)};
                }
                for (Band band : bands) {
                    prepare(c, band);
                }
                r[i] = new Resolution(rx0, ry0, rx1, ry1, cod.ppx[i], cod.ppy[i], bands);
            }
            return r;
        }

        private void prepare(int c, Band band) throws UnsupportedPixelDataException {
            Coding cod = coding[c];
            Quant q = quant[c];
            int[] eq = bandQuant(q, cod.levels, band.index);
            band.mb = q.guard + eq[0] - 1;
            if (band.mb > 30 || band.mb < 0) {
                throw corrupt("magnitude bit-planes " + band.mb + " out of range");
            }
            int n = band.width() * band.height();
            if (cod.reversible) {
                if (q.style != 0) {
                    throw unsupported("quantised reversible transform");
                }
                band.ints = new int[n];
            } else {
                if (q.style == 0) {
                    throw unsupported("irreversible transform without quantisation");
                }
                int gain = band.type == 0 ? 0 : band.type == 3 ? 2 : 1;
                band.delta = (float) (Math.scalb(1.0, depth[c] + gain - eq[0]) * (1.0 + eq[1] / 2048.0));
                band.floats = new float[n];
            }
        }

        void decode() throws UnsupportedPixelDataException {
            if (tx1 <= tx0 || ty1 <= ty0) {
                throw corrupt("empty tile");
            }
            packets();
            for (int c = 0; c < ncomp; c++) {
                for (Resolution r : res[c]) {
                    for (PrecinctBand[] precinct : r.precincts) {
                        if (precinct != null) {
                            for (PrecinctBand pb : precinct) {
                                for (Block blk : pb.blocks) {
                                    decodeBlock(blk, pb.band);
                                }
                            }
                        }
                    }
                }
            }
            if (mct == 1 && ncomp >= 3) {
                boolean rev = coding[0].reversible;
                if (coding[1].reversible != rev || coding[2].reversible != rev) {
                    throw unsupported("a colour transform over reversible and irreversible components");
                }
            }
            int w = tx1 - tx0;
            int h = ty1 - ty0;
            int[][] ints = new int[ncomp][];
            float[][] floats = new float[ncomp][];
            for (int c = 0; c < ncomp; c++) {
                if (coding[c].reversible) {
                    ints[c] = Wavelet.inverse53(res[c]);
                } else {
                    floats[c] = Wavelet.inverse97(res[c]);
                }
            }
            int spp = ncomp;
            int cols = m.columns();
            boolean colour = mct == 1 && ncomp >= 3;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int o = ((ty0 - yosiz + y) * cols + (tx0 - xosiz + x)) * spp;
                    if (colour && ints[0] != null) {
                        int y0 = ints[0][i];
                        int u = ints[1][i];
                        int v = ints[2][i];
                        int g = y0 - Math.floorDiv(u + v, 4);
                        out[o] = store(0, v + g);
                        out[o + 1] = store(1, g);
                        out[o + 2] = store(2, u + g);
                    } else if (colour) {
                        float y0 = floats[0][i];
                        float cb = floats[1][i];
                        float cr = floats[2][i];
                        out[o] = store(0, Math.round(y0 + 1.402f * cr));
                        out[o + 1] = store(1, Math.round(y0 - 0.344136f * cb - 0.714136f * cr));
                        out[o + 2] = store(2, Math.round(y0 + 1.772f * cb));
                    }
                    for (int c = colour ? 3 : 0; c < ncomp; c++) {
                        out[o + c] = store(c, ints[c] != null ? ints[c][i] : Math.round(floats[c][i]));
                    }
                }
            }
        }

        /** DC level shift (T.800 G.1) and clamping to the component's range. */
        private int store(int c, int v) {
            int b = depth[c];
            int shifted = signed[c] ? v : v + (1 << (b - 1));
            int min = signed[c] ? -(1 << (b - 1)) : 0;
            int max = signed[c] ? (1 << (b - 1)) - 1 : (1 << b) - 1;
            return Math.max(min, Math.min(max, shifted));
        }

        private void decodeBlock(Block blk, Band band) throws UnsupportedPixelDataException {
            if (blk.passes == 0) {
                return;
            }
            int w = blk.x1 - blk.x0;
            int h = blk.y1 - blk.y0;
            int p = band.mb - 1 - blk.zero; // the cleanup pass's bit-plane
            if (p < 0) {
                throw corrupt("more missing bit-planes than the band has");
            }
            int[] mu = new int[w * h];
            HtBlockDecoder.cleanup(data, blk.dataOffset, blk.dataLength, w, h, mu);
            int bw = band.width();
            for (int y = 0; y < h; y++) {
                int row = (blk.y0 - band.y0 + y) * bw + (blk.x0 - band.x0);
                for (int x = 0; x < w; x++) {
                    int v = mu[y * w + x];
                    if (v == 0) {
                        continue;
                    }
                    int a = Math.abs(v);
                    if (32 - Integer.numberOfLeadingZeros(a) + p > 30) {
                        throw corrupt("coefficient above the band's bit-planes");
                    }
                    if (band.ints != null) {
                        band.ints[row + x] = v < 0 ? -(a << p) : a << p;
                    } else {
                        // mid-point reconstruction of the quantisation interval (T.800 E.1.1.2, r = 1/2)
                        float f = (float) Math.scalb(a + 0.5, p) * band.delta;
                        band.floats[row + x] = v < 0 ? -f : f;
                    }
                }
            }
        }

        // ---------------------------------------------------------------- packets (T.800 B.9-B.12)

        private void packets() throws UnsupportedPixelDataException {
            int maxRes = 0;
            for (int c = 0; c < ncomp; c++) {
                maxRes = Math.max(maxRes, coding[c].levels + 1);
            }
            switch (progression) {
                case 0 -> { // LRCP
                    for (int l = 0; l < layers; l++) {
                        for (int r = 0; r < maxRes; r++) {
                            for (int c = 0; c < ncomp; c++) {
                                allPrecincts(l, r, c);
                            }
                        }
                    }
                }
                case 1 -> { // RLCP
                    for (int r = 0; r < maxRes; r++) {
                        for (int l = 0; l < layers; l++) {
                            for (int c = 0; c < ncomp; c++) {
                                allPrecincts(l, r, c);
                            }
                        }
                    }
                }
                case 2 -> { // RPCL
                    for (int r = 0; r < maxRes; r++) {
                        positions(r, -1, 2);
                    }
                }
                case 3 -> positions(-1, -1, 3); // PCRL
                default -> { // CPRL
                    for (int c = 0; c < ncomp; c++) {
                        positions(-1, c, 4);
                    }
                }
            }
        }

        private void allPrecincts(int l, int r, int c) throws UnsupportedPixelDataException {
            if (r >= res[c].length) {
                return;
            }
            Resolution rr = res[c][r];
            for (int k = 0; k < rr.precincts.length; k++) {
                packet(c, r, k, l);
            }
        }

        /**
         * Position-driven orders (T.800 B.12.1.3-5): every precinct is visited at the first grid position
         * of the tile it covers. Positions step by the smallest precinct size, so the loop is bounded by
         * the tile area.
         */
        private void positions(int onlyR, int onlyC, int order) throws UnsupportedPixelDataException {
            long xstep = Long.MAX_VALUE;
            long ystep = Long.MAX_VALUE;
            for (int c = 0; c < ncomp; c++) {
                for (int r = 0; r < res[c].length; r++) {
                    int n = res[c].length - 1 - r;
                    xstep = Math.min(xstep, 1L << Math.min(40, res[c][r].ppx + n));
                    ystep = Math.min(ystep, 1L << Math.min(40, res[c][r].ppy + n));
                }
            }
            int maxRes = 0;
            for (int c = 0; c < ncomp; c++) {
                maxRes = Math.max(maxRes, res[c].length);
            }
            for (long y = ty0; y < ty1; y = (y / ystep + 1) * ystep) {
                for (long x = tx0; x < tx1; x = (x / xstep + 1) * xstep) {
                    if (order == 2) {
                        for (int c = 0; c < ncomp; c++) {
                            at(c, onlyR, (int) x, (int) y);
                        }
                    } else if (order == 3) {
                        for (int c = 0; c < ncomp; c++) {
                            for (int r = 0; r < maxRes; r++) {
                                at(c, r, (int) x, (int) y);
                            }
                        }
                    } else {
                        for (int r = 0; r < maxRes; r++) {
                            at(onlyC, r, (int) x, (int) y);
                        }
                    }
                }
            }
        }

        /** The packets of all layers of the precinct of (c, r) that starts at position (x, y), if any. */
        private void at(int c, int r, int x, int y) throws UnsupportedPixelDataException {
            if (r >= res[c].length) {
                return;
            }
            Resolution rr = res[c][r];
            if (rr.precinctsX == 0 || rr.precinctsY == 0) {
                return;
            }
            int n = res[c].length - 1 - r;
            long xs = 1L << Math.min(40, rr.ppx + n);
            long ys = 1L << Math.min(40, rr.ppy + n);
            boolean xok = x % xs == 0 || (x == tx0 && ((long) rr.x0 << n) % xs != 0);
            boolean yok = y % ys == 0 || (y == ty0 && ((long) rr.y0 << n) % ys != 0);
            if (!xok || !yok) {
                return;
            }
            int px = (ceilShift(x, n) >> rr.ppx) - (rr.x0 >> rr.ppx);
            int py = (ceilShift(y, n) >> rr.ppy) - (rr.y0 >> rr.ppy);
            if (px < 0 || py < 0 || px >= rr.precinctsX || py >= rr.precinctsY) {
                return;
            }
            for (int l = 0; l < layers; l++) {
                packet(c, r, px + py * rr.precinctsX, l);
            }
        }

        private PrecinctBand[] precinct(int c, int r, int k) {
            Resolution rr = res[c][r];
            PrecinctBand[] pbs = rr.precincts[k];
            if (pbs != null) {
                return pbs;
            }
            Coding cod = coding[c];
            int px = k % rr.precinctsX + (rr.x0 >> rr.ppx);
            int py = k / rr.precinctsX + (rr.y0 >> rr.ppy);
            // precinct area in band coordinates (halved above resolution 0) and code-block size inside it
            int sx = r == 0 ? rr.ppx : rr.ppx - 1;
            int sy = r == 0 ? rr.ppy : rr.ppy - 1;
            int xcb = Math.min(cod.xcb, sx);
            int ycb = Math.min(cod.ycb, sy);
            pbs = new PrecinctBand[rr.bands.length];
            for (int b = 0; b < rr.bands.length; b++) {
                Band band = rr.bands[b];
                long bx0 = Math.max((long) px << sx, band.x0);
                long by0 = Math.max((long) py << sy, band.y0);
                long bx1 = Math.min((long) (px + 1) << sx, band.x1);
                long by1 = Math.min((long) (py + 1) << sy, band.y1);
                int cbw = 0;
                int cbh = 0;
                Block[] blocks = new Block[0];
                if (bx1 > bx0 && by1 > by0) {
                    int gx0 = (int) (bx0 >> xcb);
                    int gy0 = (int) (by0 >> ycb);
                    cbw = (int) (((bx1 - 1) >> xcb) - gx0 + 1);
                    cbh = (int) (((by1 - 1) >> ycb) - gy0 + 1);
                    blocks = new Block[cbw * cbh];
                    for (int j = 0; j < cbh; j++) {
                        for (int i = 0; i < cbw; i++) {
                            int x0 = (int) Math.max((long) (gx0 + i) << xcb, bx0);
                            int y0 = (int) Math.max((long) (gy0 + j) << ycb, by0);
                            int x1 = (int) Math.min((long) (gx0 + i + 1) << xcb, bx1);
                            int y1 = (int) Math.min((long) (gy0 + j + 1) << ycb, by1);
                            blocks[j * cbw + i] = new Block(x0, y0, x1, y1);
                        }
                    }
                }
                pbs[b] = new PrecinctBand(band, cbw, cbh, blocks,
                        new TagTree(Math.max(cbw, 1), Math.max(cbh, 1)), new TagTree(Math.max(cbw, 1), Math.max(cbh, 1)));
            }
            rr.precincts[k] = pbs;
            return pbs;
        }

        private void packet(int c, int r, int k, int l) throws UnsupportedPixelDataException {
            if (pos >= data.length) {
                // every packet is present in a complete codestream, if only as one byte for an empty
                // packet: a truncated tile would otherwise decode silently to missing detail
                throw corrupt("the tile data ends before its last packet (truncated codestream?)");
            }
            PrecinctBand[] pbs = precinct(c, r, k);
            if ((scod & 2) != 0 && pos + 6 <= data.length && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) == 0x91) {
                pos += 6; // SOP
            }
            HeaderBits in = new HeaderBits(data, pos);
            List<Block> contributing = new ArrayList<>();
            if (in.bit() == 1) {
                for (PrecinctBand pb : pbs) {
                    for (int j = 0; j < pb.cbh; j++) {
                        for (int i = 0; i < pb.cbw; i++) {
                            Block blk = pb.blocks[j * pb.cbw + i];
                            boolean include;
                            if (!blk.included) {
                                include = pb.inclusion.decode(in, i, j, l + 1) <= l;
                            } else {
                                include = in.bit() == 1;
                            }
                            if (!include) {
                                continue;
                            }
                            if (!blk.included) {
                                int z = pb.zero.decode(in, i, j, 64);
                                if (z == Integer.MAX_VALUE) {
                                    throw corrupt("zero bit-plane count out of range");
                                }
                                blk.zero = z;
                                blk.included = true;
                            }
                            int passes = passes(in);
                            while (in.bit() == 1) {
                                if (++blk.lblock > 32) {
                                    throw corrupt("code-block length indicator out of range");
                                }
                            }
                            if (blk.passes + passes > 1) {
                                throw unsupported("HT refinement or placeholder passes (" + (blk.passes + passes)
                                        + " coding passes in a code-block)");
                            }
                            int bitsForLength = blk.lblock + 31 - Integer.numberOfLeadingZeros(passes);
                            if (bitsForLength > 31) {
                                throw corrupt("code-block length field too long");
                            }
                            blk.dataLength = in.bits(bitsForLength);
                            blk.passes += passes;
                            contributing.add(blk);
                        }
                    }
                }
            }
            pos = in.align();
            if ((scod & 4) != 0 && pos + 2 <= data.length && (data[pos] & 0xFF) == 0xFF
                    && (data[pos + 1] & 0xFF) == 0x92) {
                pos += 2; // EPH
            }
            for (Block blk : contributing) {
                if (blk.dataLength > data.length - pos) {
                    throw corrupt("code-block data beyond the tile data");
                }
                blk.dataOffset = pos;
                pos += blk.dataLength;
            }
        }

        /** Number of coding passes (T.800 Table B.4). */
        private int passes(HeaderBits in) throws UnsupportedPixelDataException {
            if (in.bit() == 0) {
                return 1;
            }
            if (in.bit() == 0) {
                return 2;
            }
            int v = in.bits(2);
            if (v < 3) {
                return 3 + v;
            }
            v = in.bits(5);
            if (v < 31) {
                return 6 + v;
            }
            return 37 + in.bits(7);
        }
    }

    /** Inverse discrete wavelet transforms (T.800 F.3), rows then columns at each level. */
    private static final class Wavelet {
        private static final float ALPHA = -1.586134342059924f;
        private static final float BETA = -0.052980118572961f;
        private static final float GAMMA = 0.882911075530934f;
        private static final float DELTA = 0.443506852043971f;
        private static final float K = 1.230174104914001f;

        static int[] inverse53(Resolution[] rs) {
            Band ll = rs[0].bands[0];
            int[] a = ll.ints;
            for (int i = 1; i < rs.length; i++) {
                Resolution r = rs[i];
                int w = r.x1 - r.x0;
                int h = r.y1 - r.y0;
                int[] next = new int[w * h];
                interleave(r, a, next, null, null, w, h);
                int[] line = new int[Math.max(w, h)];
                for (int y = 0; y < h; y++) {
                    System.arraycopy(next, y * w, line, 0, w);
                    lift53(line, w, r.x0 & 1);
                    System.arraycopy(line, 0, next, y * w, w);
                }
                for (int x = 0; x < w; x++) {
                    for (int y = 0; y < h; y++) {
                        line[y] = next[y * w + x];
                    }
                    lift53(line, h, r.y0 & 1);
                    for (int y = 0; y < h; y++) {
                        next[y * w + x] = line[y];
                    }
                }
                a = next;
            }
            return a;
        }

        static float[] inverse97(Resolution[] rs) {
            float[] a = rs[0].bands[0].floats;
            for (int i = 1; i < rs.length; i++) {
                Resolution r = rs[i];
                int w = r.x1 - r.x0;
                int h = r.y1 - r.y0;
                float[] next = new float[w * h];
                interleave(r, null, null, a, next, w, h);
                float[] line = new float[Math.max(w, h)];
                for (int y = 0; y < h; y++) {
                    System.arraycopy(next, y * w, line, 0, w);
                    lift97(line, w, r.x0 & 1);
                    System.arraycopy(line, 0, next, y * w, w);
                }
                for (int x = 0; x < w; x++) {
                    for (int y = 0; y < h; y++) {
                        line[y] = next[y * w + x];
                    }
                    lift97(line, h, r.y0 & 1);
                    for (int y = 0; y < h; y++) {
                        next[y * w + x] = line[y];
                    }
                }
                a = next;
            }
            return a;
        }

        /** Places the lower resolution (low-low) and the three detail bands at their parities (2D_INTERLEAVE). */
        private static void interleave(Resolution r, int[] llI, int[] outI, float[] llF, float[] outF, int w, int h) {
            int lx0 = ceilShift(r.x0, 1);
            int ly0 = ceilShift(r.y0, 1);
            int hx0 = ceilDiv(r.x0 - 1L, 2);
            int hy0 = ceilDiv(r.y0 - 1L, 2);
            int lw = ceilShift(r.x1, 1) - lx0;
            int hw = ceilDiv(r.x1 - 1L, 2) - hx0;
            for (int y = 0; y < h; y++) {
                int ay = r.y0 + y;
                boolean lowY = (ay & 1) == 0;
                int by = lowY ? (ay >> 1) - ly0 : (ay >> 1) - hy0;
                for (int x = 0; x < w; x++) {
                    int ax = r.x0 + x;
                    boolean lowX = (ax & 1) == 0;
                    int bx = lowX ? (ax >> 1) - lx0 : (ax >> 1) - hx0;
                    int o = y * w + x;
                    if (lowX && lowY) {
                        if (outI != null) {
                            outI[o] = llI[by * lw + bx];
                        } else {
                            outF[o] = llF[by * lw + bx];
                        }
                        continue;
                    }
                    Band band = r.bands[lowY ? 0 : lowX ? 1 : 2];
                    int bw = lowX ? lw : hw;
                    if (outI != null) {
                        outI[o] = band.ints[by * bw + bx];
                    } else {
                        outF[o] = band.floats[by * bw + bx];
                    }
                }
            }
        }

        /** 1D_SR with the reversible 5/3 filter (T.800 F.3.8.1); {@code odd}: the first sample is high-pass. */
        private static void lift53(int[] x, int n, int odd) {
            if (n == 1) {
                if (odd == 1) {
                    x[0] >>= 1;
                }
                return;
            }
            for (int i = odd; i < n; i += 2) { // even absolute positions
                int left = i > 0 ? x[i - 1] : x[i + 1];
                int right = i + 1 < n ? x[i + 1] : x[i - 1];
                x[i] -= Math.floorDiv(left + right + 2, 4);
            }
            for (int i = 1 - odd; i < n; i += 2) { // odd absolute positions
                int left = i > 0 ? x[i - 1] : x[i + 1];
                int right = i + 1 < n ? x[i + 1] : x[i - 1];
                x[i] += Math.floorDiv(left + right, 2);
            }
        }

        /** 1D_SR with the irreversible 9/7 filter (T.800 F.3.8.2). */
        private static void lift97(float[] x, int n, int odd) {
            if (n == 1) {
                if (odd == 1) {
                    x[0] /= 2;
                }
                return;
            }
            for (int i = odd; i < n; i += 2) {
                x[i] *= K;
            }
            for (int i = 1 - odd; i < n; i += 2) {
                x[i] /= K;
            }
            step(x, n, odd, DELTA);
            step(x, n, 1 - odd, GAMMA);
            step(x, n, odd, BETA);
            step(x, n, 1 - odd, ALPHA);
        }

        private static void step(float[] x, int n, int first, float coefficient) {
            for (int i = first; i < n; i += 2) {
                float left = i > 0 ? x[i - 1] : x[i + 1];
                float right = i + 1 < n ? x[i + 1] : x[i - 1];
                x[i] -= coefficient * (left + right);
            }
        }
    }
}
