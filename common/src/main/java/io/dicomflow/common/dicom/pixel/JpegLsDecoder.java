package io.dicomflow.common.dicom.pixel;

import java.util.Arrays;

/**
 * JPEG-LS (ITU-T T.87 | ISO/IEC 14495-1) decoder for DICOM JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and
 * Near-Lossless (1.2.840.10008.1.2.4.81) frames, written from the recommendation: SOF55 frame header, LSE
 * preset coding parameters (T1/T2/T3/RESET/MAXVAL) and oversize dimensions, DRI restart intervals, scans with
 * NEAR, any interleave mode (none, line, sample), 2 to 16 bit precision, regular mode with context modelling
 * and bias correction, run mode with run interruption, limited-length Golomb codes and marker stuffing.
 *
 * <p>Not decoded (typed {@link UnsupportedPixelDataException}): mapping tables (palettes, LSE 2/3, scan
 * table selectors), a non-zero point transform, subsampled components and the HP colour transforms of the
 * "mrfx" APP8 extension; none of these is produced by DICOM encoders, and the reference decoders (CharLS in
 * DCMTK and GDCM) refuse the point transform too, so its result could not be checked.
 *
 * <p>Hostile streams: everything is bounded by the DICOM header. The frame must have the Rows, Columns and
 * Samples per Pixel the header declares, so no allocation exceeds the declared frame (line buffers are one
 * row); each component is decoded at most once, every sample costs at least one bit or ends a run, and
 * reading past the scan data is an error, so decoding ends after at most Rows x Columns x Samples steps.
 */
final class JpegLsDecoder {
    // marker codes (T.87 C.1, T.81 B.1.1.3)
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int SOF55 = 0xF7;
    private static final int LSE = 0xF8;
    private static final int RST0 = 0xD0;
    private static final int APP8 = 0xE8;

    /** Run-length orders J[RUNindex]: a run segment is 2^J samples long (T.87 A.2.1, A.7.1). */
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9,
        10, 11, 12, 13, 14, 15};
    /** Regular-mode contexts 0..364, then the two run interruption contexts (RItype 0 and 1). */
    private static final int CONTEXTS = 367;
    private static final int RI_CONTEXT = 365;
    private static final int MIN_C = -128;
    private static final int MAX_C = 127;

    private final byte[] data;
    private final int end;
    private final ImagePixelModule m;
    private final int[] out;

    // frame header
    private int precision;
    private int width;
    private int height;
    private int[] componentIds;
    private boolean[] decoded;
    private boolean frameSeen;
    // preset parameters from LSE (0: default)
    private int presetMaxval;
    private int presetT1;
    private int presetT2;
    private int presetT3;
    private int presetReset;
    private int restartInterval;

    // scan parameters
    private int maxval;
    private int near;
    private int t1;
    private int t2;
    private int t3;
    private int reset;
    private int range;
    private int qbpp;
    private int limit;
    private int step; // 2 * NEAR + 1

    // context variables (T.87 A.2.1)
    private final long[] a = new long[CONTEXTS];
    private final int[] b = new int[CONTEXTS];
    private final int[] c = new int[CONTEXTS];
    private final int[] n = new int[CONTEXTS];
    private final int[] nn = new int[CONTEXTS];
    private int runIndex;

    // bit reader state
    private int pos;
    private long cache;
    private int bits;
    private boolean stuffed;

    private JpegLsDecoder(byte[] data, ImagePixelModule m, int[] out) {
        this.data = data;
        this.end = data.length;
        this.m = m;
        this.out = out;
    }

    /**
     * Decodes one frame's codestream into {@code out}, samples interleaved per pixel (the layout of
     * {@link Frame}), raw: values 0..MAXVAL, not yet masked or sign-extended to Bits Stored.
     */
    static void decode(byte[] codestream, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        new JpegLsDecoder(codestream, m, out).run();
    }

    private void run() throws UnsupportedPixelDataException {
        if (end < 2 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
            throw corrupt("the frame does not start with an SOI marker");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker();
            if (marker == EOI) {
                break;
            }
            if (marker < 0) {
                // no EOI: accepted when every component is complete (some encoders stop at the scan's end)
                break;
            }
            switch (marker) {
                case SOF55 -> readFrameHeader();
                case LSE -> readPresetParameters();
                case DRI -> readRestartInterval();
                case SOS -> readScan();
                case DNL -> readNumberOfLines();
                case SOI -> throw corrupt("a second SOI marker inside the frame");
                default -> {
                    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                        throw new UnsupportedPixelDataException("JPEG-LS: the frame is a T.81 JPEG frame (SOF"
                                + (marker - 0xC0) + "), not a JPEG-LS one");
                    }
                    if (marker >= RST0 && marker <= RST0 + 7) {
                        throw corrupt("restart marker outside a scan");
                    }
                    if (marker == APP8) {
                        checkColourTransform();
                    }
                    skipSegment(); // APPn, COM and other segments with a length
                }
            }
        }
        if (!frameSeen) {
            throw corrupt("no SOF55 frame header");
        }
        for (int i = 0; i < decoded.length; i++) {
            if (!decoded[i]) {
                throw corrupt("no scan for component " + componentIds[i]);
            }
        }
    }

    private UnsupportedPixelDataException corrupt(String reason) {
        return new UnsupportedPixelDataException("JPEG-LS codestream invalid at byte " + pos + ": " + reason);
    }

    // ---------------------------------------------------------------- marker segments

    /** The next marker code (after fill bytes), or -1 at the end of the data. */
    private int nextMarker() throws UnsupportedPixelDataException {
        if (pos >= end) {
            return -1;
        }
        if ((data[pos] & 0xFF) != 0xFF) {
            throw corrupt("expected a marker, found 0x" + Integer.toHexString(data[pos] & 0xFF));
        }
        while (pos < end && (data[pos] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= end) {
            return -1;
        }
        return data[pos++] & 0xFF;
    }

    private int u8() throws UnsupportedPixelDataException {
        if (pos >= end) {
            throw corrupt("marker segment cut short");
        }
        return data[pos++] & 0xFF;
    }

    private int u16() throws UnsupportedPixelDataException {
        return u8() << 8 | u8();
    }

    /** Reads a segment length and checks the segment lies within the data; returns the end of the segment. */
    private int segmentEnd(int minLength) throws UnsupportedPixelDataException {
        int start = pos;
        int length = u16();
        if (length < minLength || start + length > end) {
            pos = start;
            throw corrupt("marker segment length " + length + " out of range");
        }
        return start + length;
    }

    private void skipSegment() throws UnsupportedPixelDataException {
        pos = segmentEnd(2);
    }

    /** The HP colour transforms (APP8 "mrfx", not part of T.87) change the decoded values: refuse them. */
    private void checkColourTransform() throws UnsupportedPixelDataException {
        int start = pos;
        int segEnd = segmentEnd(2);
        if (segEnd - start >= 7 && data[start + 2] == 'm' && data[start + 3] == 'r' && data[start + 4] == 'f'
                && data[start + 5] == 'x' && data[start + 6] != 0) {
            throw new UnsupportedPixelDataException("JPEG-LS: HP colour transform " + data[start + 6]
                    + " (APP8 mrfx extension) is not supported");
        }
        pos = start;
    }

    /** SOF55 (T.87 C.2.2): P, Y, X, Nf and the components, checked against the DICOM header. */
    private void readFrameHeader() throws UnsupportedPixelDataException {
        if (frameSeen) {
            throw corrupt("a second frame header");
        }
        int segEnd = segmentEnd(8);
        precision = u8();
        int y = u16();
        int x = u16();
        int nf = u8();
        if (segEnd - pos != 3 * nf) {
            throw corrupt("frame header length does not match " + nf + " components");
        }
        if (precision < 2 || precision > 16) {
            throw corrupt("sample precision " + precision + " outside 2..16");
        }
        if (precision > m.bitsAllocated()) {
            throw new UnsupportedPixelDataException("JPEG-LS precision " + precision + " exceeds Bits Allocated "
                    + m.bitsAllocated());
        }
        if (nf != m.samplesPerPixel()) {
            throw new UnsupportedPixelDataException("JPEG-LS frame has " + nf + " components, the header says "
                    + m.samplesPerPixel() + " samples per pixel");
        }
        componentIds = new int[nf];
        decoded = new boolean[nf];
        for (int i = 0; i < nf; i++) {
            componentIds[i] = u8();
            int sampling = u8();
            u8(); // Tq: 0 in JPEG-LS
            for (int j = 0; j < i; j++) {
                if (componentIds[j] == componentIds[i]) {
                    throw corrupt("component identifier " + componentIds[i] + " used twice");
                }
            }
            if (sampling != 0x11) {
                throw new UnsupportedPixelDataException("JPEG-LS subsampled components (H/V 0x"
                        + Integer.toHexString(sampling) + ") are not supported");
            }
        }
        // an LSE type 4 segment may come before the frame header's dimensions are used; 0 means "given elsewhere"
        if (x != 0) {
            width = x;
        }
        if (y != 0) {
            height = y;
        }
        frameSeen = true;
    }

    private void checkDimensions() throws UnsupportedPixelDataException {
        if (height == 0) {
            height = m.rows(); // Y = 0: the line count follows in a DNL segment; the header's Rows are the bound
        }
        if (width != m.columns() || height != m.rows()) {
            throw new UnsupportedPixelDataException("JPEG-LS frame is " + width + "x" + height + ", the header says "
                    + m.columns() + "x" + m.rows());
        }
    }

    /** LSE (T.87 C.2.4.1): preset coding parameters, mapping tables (refused), oversize dimensions. */
    private void readPresetParameters() throws UnsupportedPixelDataException {
        int segEnd = segmentEnd(3);
        int id = u8();
        switch (id) {
            case 1 -> {
                if (segEnd - pos != 10) {
                    throw corrupt("preset parameters segment of the wrong length");
                }
                presetMaxval = u16();
                presetT1 = u16();
                presetT2 = u16();
                presetT3 = u16();
                presetReset = u16();
            }
            case 2, 3 -> throw new UnsupportedPixelDataException("JPEG-LS mapping tables are not supported");
            case 4 -> {
                int wxy = u8();
                if (wxy < 2 || wxy > 4 || segEnd - pos != 2 * wxy) {
                    throw corrupt("oversize dimensions segment invalid");
                }
                long y = 0;
                long x = 0;
                for (int i = 0; i < wxy; i++) {
                    y = y << 8 | u8();
                }
                for (int i = 0; i < wxy; i++) {
                    x = x << 8 | u8();
                }
                if (x > Integer.MAX_VALUE || y > Integer.MAX_VALUE) {
                    throw corrupt("oversize dimensions " + x + "x" + y);
                }
                width = (int) x;
                height = (int) y;
            }
            default -> throw corrupt("LSE segment of unknown type " + id);
        }
        pos = segEnd;
    }

    private void readRestartInterval() throws UnsupportedPixelDataException {
        int segEnd = segmentEnd(4);
        int ri = 0;
        if (segEnd - pos > 4) {
            throw corrupt("restart interval of " + (segEnd - pos) + " bytes");
        }
        while (pos < segEnd) {
            ri = ri << 8 | u8();
        }
        restartInterval = ri;
    }

    private void readNumberOfLines() throws UnsupportedPixelDataException {
        int segEnd = segmentEnd(4);
        int lines = u16();
        if (lines != m.rows()) {
            throw new UnsupportedPixelDataException("JPEG-LS DNL gives " + lines + " lines, the header says "
                    + m.rows());
        }
        pos = segEnd;
    }

    // ---------------------------------------------------------------- scans

    /** SOS (T.87 C.2.3) followed by the scan's coded data. */
    private void readScan() throws UnsupportedPixelDataException {
        if (!frameSeen) {
            throw corrupt("scan before the frame header");
        }
        checkDimensions();
        int segEnd = segmentEnd(6);
        int ns = u8();
        if (ns < 1 || ns > componentIds.length || segEnd - pos != 2 * ns + 3) {
            throw corrupt("scan header with " + ns + " components invalid");
        }
        int[] comps = new int[ns];
        for (int i = 0; i < ns; i++) {
            int id = u8();
            int table = u8();
            int index = -1;
            for (int j = 0; j < componentIds.length; j++) {
                if (componentIds[j] == id) {
                    index = j;
                }
            }
            if (index < 0) {
                throw corrupt("scan names component " + id + ", not in the frame");
            }
            if (decoded[index]) {
                throw corrupt("component " + id + " coded twice");
            }
            if (table != 0) {
                throw new UnsupportedPixelDataException("JPEG-LS mapping tables are not supported");
            }
            decoded[index] = true;
            comps[i] = index;
        }
        near = u8();
        int ilv = u8();
        int pointTransform = u8();
        if (ilv > 2 || ns > 1 && ilv == 0) {
            throw corrupt("interleave mode " + ilv + " with " + ns + " components");
        }
        if ((pointTransform & 0xF0) != 0) {
            throw corrupt("Ah must be 0");
        }
        if (pointTransform != 0) {
            throw new UnsupportedPixelDataException("JPEG-LS point transform " + pointTransform + " is not supported");
        }
        setParameters();
        pos = segEnd;
        if (ns == 1) {
            decodeSingle(comps[0]);
        } else if (ilv == 1) {
            decodeLineInterleaved(comps);
        } else {
            decodeSampleInterleaved(comps);
        }
        // the scan's data ends with padding bits up to a byte boundary; the next marker follows
        cache = 0;
        bits = 0;
        stuffed = false;
        skipToMarker();
    }

    /** Coding parameters (T.87 C.2.4.1.1 defaults, A.2.1 derived values) for a scan with this NEAR. */
    private void setParameters() throws UnsupportedPixelDataException {
        int maxPossible = (1 << precision) - 1;
        maxval = presetMaxval != 0 ? presetMaxval : maxPossible;
        if (maxval > maxPossible) {
            throw corrupt("MAXVAL " + maxval + " above 2^P - 1 for P = " + precision);
        }
        if (near > Math.min(255, maxval / 2)) {
            throw corrupt("NEAR " + near + " too large for MAXVAL " + maxval);
        }
        int d1;
        int d2;
        int d3;
        if (maxval >= 128) {
            int factor = (Math.min(maxval, 4095) + 128) >> 8;
            d1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxval);
            d2 = clamp(factor * (7 - 3) + 3 + 5 * near, d1, maxval);
            d3 = clamp(factor * (21 - 4) + 4 + 7 * near, d2, maxval);
        } else {
            int factor = 256 / (maxval + 1);
            d1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, maxval);
            d2 = clamp(Math.max(3, 7 / factor + 5 * near), d1, maxval);
            d3 = clamp(Math.max(4, 21 / factor + 7 * near), d2, maxval);
        }
        t1 = presetT1 != 0 ? presetT1 : d1;
        t2 = presetT2 != 0 ? presetT2 : d2;
        t3 = presetT3 != 0 ? presetT3 : d3;
        reset = presetReset != 0 ? presetReset : 64;
        if (t1 < near + 1 || t1 > maxval || t2 < t1 || t2 > maxval || t3 < t2 || t3 > maxval) {
            throw corrupt("thresholds T1=" + t1 + " T2=" + t2 + " T3=" + t3 + " invalid for MAXVAL " + maxval
                    + ", NEAR " + near);
        }
        if (reset < 3 || reset > Math.max(255, maxval)) {
            throw corrupt("RESET " + reset + " invalid");
        }
        step = 2 * near + 1;
        range = (maxval + 2 * near) / step + 1;
        qbpp = ceilLog2(range);
        int bpp = Math.max(2, ceilLog2(maxval + 1));
        limit = 2 * (bpp + Math.max(8, bpp));
    }

    /** T.87 C.2.4.1.1 CLAMP: a default outside [low, maxval] becomes low. */
    private static int clamp(int value, int low, int maxval) {
        return value > maxval || value < low ? low : value;
    }

    private static int ceilLog2(int v) {
        return v <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(v - 1);
    }

    /** Context variables at the start of a scan and of each restart interval (T.87 A.2.1). */
    private void resetContexts() {
        long a0 = Math.max(2, (range + 32) >> 6);
        Arrays.fill(a, a0);
        Arrays.fill(b, 0);
        Arrays.fill(c, 0);
        Arrays.fill(n, 1);
        Arrays.fill(nn, 0);
        runIndex = 0;
    }

    /** Line buffers: index 0 and width + 1 hold the edge samples of T.87 A.2.1 / A.3. */
    private int[][] lines(int count) {
        return new int[count][width + 2];
    }

    private void decodeSingle(int comp) throws UnsupportedPixelDataException {
        resetContexts();
        int[] prev = new int[width + 2];
        int[] cur = new int[width + 2];
        for (int y = 0; y < height; y++) {
            if (restartDue(y)) {
                restart(y);
                Arrays.fill(prev, 0);
            }
            decodeLine(prev, cur);
            store(cur, y, comp);
            int[] t = prev;
            prev = cur;
            cur = t;
        }
    }

    /** ILV = 1: one line of each component in turn; contexts shared, RUNindex kept per component (T.87 B.2). */
    private void decodeLineInterleaved(int[] comps) throws UnsupportedPixelDataException {
        resetContexts();
        int ns = comps.length;
        int[][] prev = lines(ns);
        int[][] cur = lines(ns);
        int[] runIndexes = new int[ns];
        for (int y = 0; y < height; y++) {
            if (restartDue(y)) {
                restart(y);
                Arrays.fill(runIndexes, 0);
                for (int[] p : prev) {
                    Arrays.fill(p, 0);
                }
            }
            for (int i = 0; i < ns; i++) {
                runIndex = runIndexes[i];
                decodeLine(prev[i], cur[i]);
                runIndexes[i] = runIndex;
                store(cur[i], y, comps[i]);
            }
            int[][] t = prev;
            prev = cur;
            cur = t;
        }
    }

    /** ILV = 2: the samples of each pixel together; run mode when every component is flat (T.87 B.3). */
    private void decodeSampleInterleaved(int[] comps) throws UnsupportedPixelDataException {
        resetContexts();
        int ns = comps.length;
        int[][] prev = lines(ns);
        int[][] cur = lines(ns);
        for (int y = 0; y < height; y++) {
            if (restartDue(y)) {
                restart(y);
                for (int[] p : prev) {
                    Arrays.fill(p, 0);
                }
            }
            for (int i = 0; i < ns; i++) {
                prev[i][width + 1] = prev[i][width];
                cur[i][0] = prev[i][1];
            }
            int x = 1;
            while (x <= width) {
                boolean flat = true;
                for (int i = 0; i < ns && flat; i++) {
                    int[] p = prev[i];
                    int ra = cur[i][x - 1];
                    flat = Math.abs(p[x + 1] - p[x]) <= near && Math.abs(p[x] - p[x - 1]) <= near
                            && Math.abs(p[x - 1] - ra) <= near;
                }
                if (flat) {
                    x = runSampleInterleaved(prev, cur, x);
                } else {
                    for (int i = 0; i < ns; i++) {
                        int[] p = prev[i];
                        cur[i][x] = regular(cur[i][x - 1], p[x], p[x - 1], p[x + 1]);
                    }
                    x++;
                }
            }
            for (int i = 0; i < ns; i++) {
                store(cur[i], y, comps[i]);
            }
            int[][] t = prev;
            prev = cur;
            cur = t;
        }
    }

    private void store(int[] line, int y, int comp) {
        int spp = componentIds.length;
        int o = y * width * spp + comp;
        for (int x = 1; x <= width; x++, o += spp) {
            out[o] = line[x];
        }
    }

    private boolean restartDue(int line) {
        return restartInterval > 0 && line > 0 && line % restartInterval == 0;
    }

    /**
     * A restart interval ends: the coded data is byte-aligned, an RSTm marker (m counting 0..7) follows, and
     * decoding restarts with fresh context variables and the line above taken as zero, as at the start of a scan.
     */
    private void restart(int line) throws UnsupportedPixelDataException {
        cache = 0;
        bits = 0;
        stuffed = false;
        skipToMarker();
        int expected = RST0 + (line / restartInterval - 1) % 8;
        int marker = nextMarker();
        if (marker != expected) {
            throw corrupt("expected restart marker RST" + (expected - RST0) + ", found "
                    + (marker < 0 ? "the end of the data" : "0x" + Integer.toHexString(marker)));
        }
        resetContexts();
    }

    /** Moves to the next marker (0xFF followed by a byte with its high bit set), past the scan's padding. */
    private void skipToMarker() {
        while (pos + 1 < end && !((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0x80) != 0)) {
            pos++;
        }
        if (pos + 1 >= end) {
            pos = end;
        }
    }

    // ---------------------------------------------------------------- sample coding (T.87 Annex A)

    /** One line of one component; prev and cur have the edge samples at 0 and width + 1. */
    private void decodeLine(int[] prev, int[] cur) throws UnsupportedPixelDataException {
        prev[width + 1] = prev[width];
        cur[0] = prev[1];
        int x = 1;
        while (x <= width) {
            int ra = cur[x - 1];
            int rb = prev[x];
            int rc = prev[x - 1];
            int rd = prev[x + 1];
            if (Math.abs(rd - rb) <= near && Math.abs(rb - rc) <= near && Math.abs(rc - ra) <= near) {
                x = runSingle(prev, cur, x);
            } else {
                cur[x] = regular(ra, rb, rc, rd);
                x++;
            }
        }
    }

    /** Gradient quantisation (A.3.3). */
    private int quantize(int d) {
        if (d <= -t3) {
            return -4;
        }
        if (d <= -t2) {
            return -3;
        }
        if (d <= -t1) {
            return -2;
        }
        if (d < -near) {
            return -1;
        }
        if (d <= near) {
            return 0;
        }
        if (d < t1) {
            return 1;
        }
        if (d < t2) {
            return 2;
        }
        if (d < t3) {
            return 3;
        }
        return 4;
    }

    /** A sample in regular mode: context, predicted value, corrected prediction, error, update (A.3 to A.6). */
    private int regular(int ra, int rb, int rc, int rd) throws UnsupportedPixelDataException {
        int q1 = quantize(rd - rb);
        int q2 = quantize(rb - rc);
        int q3 = quantize(rc - ra);
        int sign = 1;
        if (q1 < 0 || q1 == 0 && (q2 < 0 || q2 == 0 && q3 < 0)) {
            sign = -1;
            q1 = -q1;
            q2 = -q2;
            q3 = -q3;
        }
        // one index per context after sign folding: q1 in 0..4 leads, so 81*q1 + 9*q2 + q3 lies in 0..364
        int q = 81 * q1 + 9 * q2 + q3;
        // median edge detector (A.4.1)
        int px;
        if (rc >= Math.max(ra, rb)) {
            px = Math.min(ra, rb);
        } else if (rc <= Math.min(ra, rb)) {
            px = Math.max(ra, rb);
        } else {
            px = ra + rb - rc;
        }
        px += sign * c[q];
        if (px > maxval) {
            px = maxval;
        } else if (px < 0) {
            px = 0;
        }
        int k = golombParameter(n[q], a[q]);
        int mapped = golomb(k, limit);
        int err;
        if (near == 0 && k == 0 && 2 * b[q] <= -n[q]) {
            err = (mapped & 1) != 0 ? (mapped - 1) >> 1 : -(mapped >> 1) - 1;
        } else {
            err = (mapped & 1) == 0 ? mapped >> 1 : -((mapped + 1) >> 1);
        }
        update(q, err);
        return reconstruct(px, sign * err);
    }

    /** k: the least k with N << k >= A (A.5.1), capped so corrupt counters cannot make it run away. */
    private static int golombParameter(int count, long accumulated) {
        int k = 0;
        while (((long) count << k) < accumulated && k < 30) {
            k++;
        }
        return k;
    }

    /** Context update and bias correction (A.6.1, A.6.2). */
    private void update(int q, int err) {
        b[q] += err * step;
        a[q] += Math.abs(err);
        if (n[q] == reset) {
            a[q] >>= 1;
            b[q] >>= 1; // floor division, as T.87 halves negative B
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] <= -n[q]) {
            b[q] += n[q];
            if (c[q] > MIN_C) {
                c[q]--;
            }
            if (b[q] <= -n[q]) {
                b[q] = -n[q] + 1;
            }
        } else if (b[q] > 0) {
            b[q] -= n[q];
            if (c[q] < MAX_C) {
                c[q]++;
            }
            if (b[q] > 0) {
                b[q] = 0;
            }
        }
    }

    /** Reconstructed value from prediction and (de-quantised) error, modulo the range (A.4.4 / A.6). */
    private int reconstruct(int px, int err) {
        int rx = px + err * step;
        if (rx < -near) {
            rx += range * step;
        } else if (rx > maxval + near) {
            rx -= range * step;
        }
        if (rx < 0) {
            return 0;
        }
        return Math.min(rx, maxval);
    }

    /**
     * Run mode of one component from x (A.7.1): runs of Ra signalled by 1 bits of 2^J[RUNindex] samples, a 0 bit
     * and J[RUNindex] bits of remainder, then the interruption sample. Returns the next x.
     */
    private int runSingle(int[] prev, int[] cur, int x) throws UnsupportedPixelDataException {
        int length = runLength(width - x + 1);
        int ra = cur[x - 1];
        Arrays.fill(cur, x, x + Math.abs(length), ra);
        if (length < 0) {
            return x - length; // the run reached the end of the line
        }
        x += length;
        cur[x] = interruption(cur[x - 1], prev[x]);
        return x + 1;
    }

    /** Run mode with ILV = 2: whole pixels repeat, then each component's interruption sample. */
    private int runSampleInterleaved(int[][] prev, int[][] cur, int x) throws UnsupportedPixelDataException {
        int length = runLength(width - x + 1);
        int count = Math.abs(length);
        for (int[] line : cur) {
            Arrays.fill(line, x, x + count, line[x - 1]);
        }
        if (length < 0) {
            return x + count;
        }
        x += count;
        for (int i = 0; i < cur.length; i++) {
            // a pixel's components share the interruption: each is coded as RItype 0, predicted from Rb
            cur[i][x] = interruptionSample(cur[i][x - 1], prev[i][x], 0);
        }
        if (runIndex > 0) {
            runIndex--;
        }
        return x + 1;
    }

    /**
     * Decodes a run's length (A.7.1.2 in decoding order). Returns the length when an interruption sample
     * follows, or minus the length when the run ends at the end of the line (no interruption sample).
     */
    private int runLength(int remaining) throws UnsupportedPixelDataException {
        int length = 0;
        while (readBit() == 1) {
            int segment = 1 << J[runIndex];
            int take = Math.min(segment, remaining - length);
            length += take;
            if (take == segment && runIndex < 31) {
                runIndex++;
            }
            if (length == remaining) {
                return -length;
            }
        }
        int rest = readBits(J[runIndex]);
        length += rest;
        if (length >= remaining) {
            throw corrupt("run of " + length + " samples longer than the " + remaining + " left on the line");
        }
        return length;
    }

    /** One component's interruption sample: RItype 1 when Ra and Rb agree within NEAR (A.7.2.1). */
    private int interruption(int ra, int rb) throws UnsupportedPixelDataException {
        int riType = Math.abs(ra - rb) <= near ? 1 : 0;
        int value = interruptionSample(ra, rb, riType);
        if (runIndex > 0) {
            runIndex--;
        }
        return value;
    }

    /** The run interruption sample (A.7.2): its own two contexts, a reduced Golomb limit, the map bit. */
    private int interruptionSample(int ra, int rb, int riType) throws UnsupportedPixelDataException {
        int px = riType == 1 ? ra : rb;
        int sign = riType == 0 && ra > rb ? -1 : 1;
        int q = RI_CONTEXT + riType;
        long temp = riType == 0 ? a[q] : a[q] + (n[q] >> 1);
        int k = golombParameter(n[q], temp);
        int mapped = golomb(k, limit - J[runIndex] - 1);
        int t = mapped + riType;
        int map = t & 1;
        int magnitude = (t + map) >> 1;
        boolean smallK = k == 0 && 2 * nn[q] < n[q];
        int err = (map == 1) != smallK ? -magnitude : magnitude;
        if (err < 0) {
            nn[q]++;
        }
        a[q] += (mapped + 1 - riType) >> 1;
        if (n[q] == reset) {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[q] >>= 1;
        }
        n[q]++;
        return reconstruct(px, sign * err);
    }

    /**
     * Limited-length Golomb code LG(k, glimit) (A.5.3): a unary prefix; below glimit - qbpp - 1 it is the high
     * part with k low bits following, at exactly that length it is an escape followed by qbpp bits of value - 1.
     */
    private int golomb(int k, int glimit) throws UnsupportedPixelDataException {
        int escape = glimit - qbpp - 1;
        int prefix = readUnary(escape);
        long value;
        if (prefix < escape) {
            value = ((long) prefix << k) | readBits(k);
        } else {
            value = readBits(qbpp) + 1L;
        }
        // a mapped error lies in 0 .. 2 * RANGE; more is a corrupt stream, and would overflow later arithmetic
        if (value > 2L * range + 2) {
            throw corrupt("Golomb code value " + value + " outside the sample range");
        }
        return (int) value;
    }

    // ---------------------------------------------------------------- bit input (A.1, with marker stuffing)

    /**
     * Loads whole bytes of scan data into the 64-bit cache (most significant bit first). After a 0xFF byte the
     * next byte's top bit is a stuffed 0 and only its 7 low bits are data; 0xFF followed by a byte with its
     * top bit set is a marker, where the scan data ends.
     */
    private void fill() {
        while (bits <= 56 && pos < end) {
            int v = data[pos] & 0xFF;
            if (stuffed) {
                cache |= (long) v << (57 - bits);
                bits += 7;
                pos++;
                stuffed = false;
                continue;
            }
            if (v == 0xFF) {
                if (pos + 1 >= end || (data[pos + 1] & 0x80) != 0) {
                    return; // a marker (or the end of the data) ends the scan data
                }
                stuffed = true;
            }
            cache |= (long) v << (56 - bits);
            bits += 8;
            pos++;
        }
    }

    private UnsupportedPixelDataException endOfData() {
        return corrupt("the scan data ends before all samples are decoded");
    }

    private int readBit() throws UnsupportedPixelDataException {
        if (bits == 0) {
            fill();
            if (bits == 0) {
                throw endOfData();
            }
        }
        int bit = (int) (cache >>> 63);
        cache <<= 1;
        bits--;
        return bit;
    }

    /** The next count (0..31) bits as an unsigned value. */
    private int readBits(int count) throws UnsupportedPixelDataException {
        if (count == 0) {
            return 0;
        }
        if (bits < count) {
            fill();
            if (bits < count) {
                throw endOfData();
            }
        }
        int v = (int) (cache >>> (64 - count));
        cache <<= count;
        bits -= count;
        return v;
    }

    /** Counts 0 bits up to the next 1 bit (consumed too); more than max zeros is a corrupt code. */
    private int readUnary(int max) throws UnsupportedPixelDataException {
        int zeros = 0;
        while (true) {
            if (bits == 0) {
                fill();
                if (bits == 0) {
                    throw endOfData();
                }
            }
            if (cache == 0) {
                zeros += bits; // bits beyond the loaded ones are always 0
                bits = 0;
            } else {
                int lz = Long.numberOfLeadingZeros(cache);
                zeros += lz;
                cache = lz == 63 ? 0 : cache << (lz + 1);
                bits -= lz + 1;
                if (zeros > max) {
                    throw corrupt("Golomb code longer than its limit");
                }
                return zeros;
            }
            if (zeros > max) {
                throw corrupt("Golomb code longer than its limit");
            }
        }
    }
}
