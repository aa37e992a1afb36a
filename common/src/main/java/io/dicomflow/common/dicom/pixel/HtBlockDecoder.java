package io.dicomflow.common.dicom.pixel;

/**
 * The HT cleanup pass of one code-block (ITU-T T.814 | ISO/IEC 15444-15, clause 7): the MagSgn stream read
 * forwards from the start of the segment, the MEL stream forwards from the interface locator Pcup, the VLC
 * stream (CxtVLC codewords and U-VLC exponent offsets) backwards from the end. Quads of 2x2 samples are
 * visited in pairs along quad rows; the first quad row has its own context and U-VLC rules.
 *
 * <p>Every read past the end of a stream yields the padding the recommendation defines, so a corrupt
 * segment can only produce wrong values or a typed error, never a read outside the segment; the work is
 * one step per quad of the declared block.
 */
final class HtBlockDecoder {
    /** Decoded VLC entries: index (c_q << 7) | next 7 bits; value rho | u_off << 4 | e_k << 5 | e_1 << 9 | len << 13. */
    private static final int[] VLC_INITIAL = table(HtVlcTables.INITIAL_ROW);
    private static final int[] VLC_OTHER = table(HtVlcTables.OTHER_ROWS);
    private static final int VALID = 1 << 20;
    /** MEL exponents per state (T.814 7.3.3). */
    private static final int[] MEL_E = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5};

    private HtBlockDecoder() {
    }

    private static int[] table(String entries) {
        int[] t = new int[8 << 7];
        for (int i = 0; i + 8 <= entries.length(); i += 8) {
            int c = Character.digit(entries.charAt(i), 16);
            int rho = Character.digit(entries.charAt(i + 1), 16);
            int uOff = Character.digit(entries.charAt(i + 2), 16);
            int ek = Character.digit(entries.charAt(i + 3), 16);
            int e1 = Character.digit(entries.charAt(i + 4), 16);
            int cwd = Integer.parseInt(entries.substring(i + 5, i + 7), 16);
            int len = Character.digit(entries.charAt(i + 7), 16);
            int value = VALID | rho | uOff << 4 | ek << 5 | e1 << 9 | len << 13;
            // every 7-bit window whose low len bits are the codeword decodes to this entry
            for (int high = 0; high < 1 << (7 - len); high++) {
                t[c << 7 | high << len | cwd] = value;
            }
        }
        return t;
    }

    /**
     * Decodes a cleanup segment into signed magnitudes (the sign applied to mu, the magnitude at the
     * cleanup bit-plane), row-major {@code w x h}.
     */
    static void cleanup(byte[] d, int off, int lcup, int w, int h, int[] out) throws UnsupportedPixelDataException {
        if (lcup < 2) {
            throw corrupt("cleanup segment shorter than 2 bytes");
        }
        int scup = ((d[off + lcup - 1] & 0xFF) << 4) + (d[off + lcup - 2] & 0x0F);
        if (scup < 2 || scup > lcup || scup > 4079) {
            throw corrupt("invalid cleanup suffix length " + scup);
        }
        int pcup = lcup - scup;
        Forward magSgn = new Forward(d, off, off + pcup, 0xFF);
        Mel mel = new Mel(d, off + pcup, off + lcup);
        Reverse vlc = new Reverse(d, off + pcup, off + lcup);
        int qw = (w + 1) / 2;
        int qh = (h + 1) / 2;
        // significance and exponent of the last line of the previous quad row (two guard columns each side)
        int[] sigAbove = new int[2 * qw + 4];
        int[] expAbove = new int[2 * qw + 4];
        int[] sigLine = new int[2 * qw + 4];
        int[] expLine = new int[2 * qw + 4];
        int[] quad = new int[4];
        for (int qy = 0; qy < qh; qy++) {
            boolean first = qy == 0;
            int[] table = first ? VLC_INITIAL : VLC_OTHER;
            int prevRho = 0;
            java.util.Arrays.fill(sigLine, 0);
            java.util.Arrays.fill(expLine, 0);
            for (int q = 0; q < qw; q += 2) {
                boolean two = q + 1 < qw;
                int e0 = quadEntry(table, context(first, q, prevRho, sigAbove), mel, vlc);
                int rho0 = e0 & 15;
                int e1 = 0;
                if (two) {
                    e1 = quadEntry(table, context(first, q + 1, rho0, sigAbove), mel, vlc);
                    prevRho = e1 & 15;
                } else {
                    prevRho = rho0;
                }
                int uOff0 = e0 >> 4 & 1;
                int uOff1 = e1 >> 4 & 1;
                int u0 = 0;
                int u1 = 0;
                if (first && uOff0 == 1 && uOff1 == 1) {
                    if (mel.symbol() == 1) {
                        // both exponent offsets above 2: each coded as 2 + a full U-VLC
                        int p0 = prefix(vlc);
                        int p1 = prefix(vlc);
                        u0 = 2 + p0 + suffix(vlc, p0);
                        u1 = 2 + p1 + suffix(vlc, p1);
                        u0 += 4 * ext(vlc, p0, u0 - 2 - p0);
                        u1 += 4 * ext(vlc, p1, u1 - 2 - p1);
                    } else {
                        int p0 = prefix(vlc);
                        if (p0 > 2) {
                            // the second offset can then only be 1 or 2: one bit
                            u1 = 1 + vlc.read(1);
                            int s0 = suffix(vlc, p0);
                            u0 = p0 + s0 + 4 * ext(vlc, p0, s0);
                        } else {
                            int p1 = prefix(vlc);
                            int s0 = suffix(vlc, p0);
                            int s1 = suffix(vlc, p1);
                            int x0 = ext(vlc, p0, s0);
                            int x1 = ext(vlc, p1, s1);
                            u0 = p0 + s0 + 4 * x0;
                            u1 = p1 + s1 + 4 * x1;
                        }
                    }
                } else {
                    int p0 = uOff0 == 1 ? prefix(vlc) : 0;
                    int p1 = uOff1 == 1 ? prefix(vlc) : 0;
                    int s0 = uOff0 == 1 ? suffix(vlc, p0) : 0;
                    int s1 = uOff1 == 1 ? suffix(vlc, p1) : 0;
                    int x0 = uOff0 == 1 ? ext(vlc, p0, s0) : 0;
                    int x1 = uOff1 == 1 ? ext(vlc, p1, s1) : 0;
                    u0 = p0 + s0 + 4 * x0;
                    u1 = p1 + s1 + 4 * x1;
                }
                magnitudes(e0, u0, first, q, expAbove, magSgn, quad, w, h, qy, out, sigLine, expLine);
                if (two) {
                    magnitudes(e1, u1, first, q + 1, expAbove, magSgn, quad, w, h, qy, out, sigLine, expLine);
                }
            }
            int[] t = sigAbove;
            sigAbove = sigLine;
            sigLine = t;
            t = expAbove;
            expAbove = expLine;
            expLine = t;
        }
    }

    /** The significance context c_q of quad q (T.814 7.3.5); columns are offset by 2 in the line arrays. */
    private static int context(boolean first, int q, int prevRho, int[] sigAbove) {
        if (first) {
            return ((prevRho & 1) | (prevRho >> 1 & 1)) | (prevRho >> 2 & 1) << 1 | (prevRho >> 3 & 1) << 2;
        }
        int x = 2 * q + 2; // index of column 2q
        int nw = sigAbove[x - 1] | sigAbove[x];
        int w = (prevRho >> 2 & 1) | (prevRho >> 3 & 1);
        int ne = sigAbove[x + 1] | sigAbove[x + 2];
        return nw | w << 1 | ne << 2;
    }

    private static int quadEntry(int[] table, int c, Mel mel, Reverse vlc) throws UnsupportedPixelDataException {
        if (c == 0 && mel.symbol() == 0) {
            return 0; // all four samples insignificant, no codeword
        }
        int e = table[c << 7 | vlc.peek7()];
        if ((e & VALID) == 0) {
            throw corrupt("invalid CxtVLC codeword");
        }
        vlc.skip(e >> 13 & 7);
        return e;
    }

    private static int prefix(Reverse vlc) {
        if (vlc.read(1) == 1) {
            return 1;
        }
        if (vlc.read(1) == 1) {
            return 2;
        }
        return vlc.read(1) == 1 ? 3 : 5;
    }

    private static int suffix(Reverse vlc, int prefix) {
        return prefix == 3 ? vlc.read(1) : prefix == 5 ? vlc.read(5) : 0;
    }

    private static int ext(Reverse vlc, int prefix, int suffix) {
        return prefix == 5 && suffix >= 28 ? vlc.read(4) : 0;
    }

    private static void magnitudes(int e, int u, boolean first, int q, int[] expAbove, Forward magSgn, int[] quad,
                                   int w, int h, int qy, int[] out, int[] sigLine, int[] expLine)
            throws UnsupportedPixelDataException {
        int rho = e & 15;
        if (rho == 0) {
            return;
        }
        int ek = e >> 5 & 15;
        int e1 = e >> 9 & 15;
        int kappa = 1;
        if (!first && Integer.bitCount(rho) > 1) {
            int x = 2 * q + 2;
            int emax = Math.max(Math.max(expAbove[x - 1], expAbove[x]), Math.max(expAbove[x + 1], expAbove[x + 2]));
            kappa = Math.max(1, emax - 1);
        }
        int bound = u + kappa;
        for (int n = 0; n < 4; n++) {
            if ((rho >> n & 1) == 0) {
                continue;
            }
            int m = bound - (ek >> n & 1);
            if (m > 30) {
                throw corrupt("magnitude exponent " + m + " out of range");
            }
            int v = magSgn.read(m) | (e1 >> n & 1) << m;
            int mu = (v >>> 1) + 1;
            int x = 2 * q + (n >> 1);
            int y = 2 * qy + (n & 1);
            if (x < w && y < h) {
                out[y * w + x] = (v & 1) == 0 ? mu : -mu;
            }
            if ((n & 1) == 1) {
                sigLine[x + 2] = 1;
                expLine[x + 2] = 32 - Integer.numberOfLeadingZeros(2 * mu - 1);
            }
        }
    }

    private static UnsupportedPixelDataException corrupt(String why) {
        return new UnsupportedPixelDataException("corrupt HTJ2K code-block: " + why);
    }

    /** MagSgn stream: bits least significant first, a bit stuffed after each 0xFF, padded with 0xFF. */
    static final class Forward {
        private final byte[] d;
        private int pos;
        private final int end;
        private final int pad;
        private long acc;
        private int bits;
        private boolean lastFf;

        Forward(byte[] d, int from, int end, int pad) {
            this.d = d;
            this.pos = from;
            this.end = end;
            this.pad = pad;
        }

        int read(int n) {
            if (n == 0) {
                return 0;
            }
            while (bits < n) {
                int b = pos < end ? d[pos++] & 0xFF : pad;
                int nb = lastFf ? 7 : 8;
                acc |= (long) (b & ((1 << nb) - 1)) << bits;
                bits += nb;
                lastFf = b == 0xFF;
            }
            int v = (int) (acc & ((1L << n) - 1));
            acc >>>= n;
            bits -= n;
            return v;
        }
    }

    /** MEL stream: bits most significant first, a bit stuffed after each 0xFF, padded with 0xFF. */
    static final class Mel {
        private final byte[] d;
        private int pos;
        private final int end;
        private int cur;
        private int left;
        private boolean lastFf;
        private int k;
        private int run;
        private boolean one;

        Mel(byte[] d, int from, int end) {
            this.d = d;
            this.pos = from;
            this.end = end;
        }

        private int bit() {
            if (left == 0) {
                cur = pos < end ? d[pos++] & 0xFF : 0xFF;
                left = lastFf ? 7 : 8;
                lastFf = cur == 0xFF;
            }
            return cur >> --left & 1;
        }

        /** The next MEL symbol (T.814 7.3.3): runs of zeros, each run but a full one ended by a one. */
        int symbol() {
            if (run == 0 && !one) {
                int eval = MEL_E[k];
                if (bit() == 1) {
                    run = 1 << eval;
                    k = Math.min(12, k + 1);
                } else {
                    int r = 0;
                    for (int i = 0; i < eval; i++) {
                        r = r << 1 | bit();
                    }
                    run = r;
                    k = Math.max(0, k - 1);
                    one = true;
                }
            }
            if (run > 0) {
                run--;
                return 0;
            }
            one = false;
            return 1;
        }
    }

    /**
     * VLC stream: read backwards from the byte before the last (whose low nibble and the last byte hold
     * Scup), bits least significant first; after a byte above 0x8F a byte whose low 7 bits are all set
     * carries a stuffed bit. Padded with zeros.
     */
    static final class Reverse {
        private final byte[] d;
        private int pos;
        private final int start;
        private long acc;
        private int bits;
        private boolean unstuff;

        Reverse(byte[] d, int start, int end) {
            this.d = d;
            this.start = start;
            int b = d[end - 2] & 0xFF;
            int tmp = b >> 4;
            bits = (tmp & 7) == 7 ? 3 : 4;
            acc = tmp & ((1 << bits) - 1);
            unstuff = (b | 0x0F) > 0x8F;
            pos = end - 3;
        }

        private void fill() {
            while (bits <= 56) {
                int b = 0;
                if (pos >= start) {
                    b = d[pos--] & 0xFF;
                }
                int nb = unstuff && (b & 0x7F) == 0x7F ? 7 : 8;
                acc |= (long) (b & ((1 << nb) - 1)) << bits;
                bits += nb;
                unstuff = b > 0x8F;
            }
        }

        int peek7() {
            if (bits < 7) {
                fill();
            }
            return (int) (acc & 0x7F);
        }

        void skip(int n) {
            acc >>>= n;
            bits -= n;
        }

        int read(int n) {
            if (bits < n) {
                fill();
            }
            int v = (int) (acc & ((1L << n) - 1));
            skip(n);
            return v;
        }
    }
}
