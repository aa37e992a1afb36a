package io.dicomflow.common.dicom.charset;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decodes text values under a Specific Character Set (0008,0005), PS3.5 section 6.1 and annex H-K.
 *
 * <p>Without code extensions one Java charset decodes the whole value. With ISO 2022 code extensions
 * (several values, or any value starting with "ISO 2022") the bytes are split at escape sequences:
 * bytes 0x00-0x7F go to the set designated to G0, bytes 0xA0-0xFF to the set designated to G1, and
 * the initial designations come back after each value delimiter (PS3.5 6.1.2.5.3).
 */
public final class SpecificCharacterSet {
    /** The default repertoire; Latin-1 rather than ASCII so stray 8-bit bytes still decode to something. */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(List.of(), Designation.LATIN1_FULL, null);

    private final List<String> terms;
    /** Single charset for the whole value when there are no code extensions; null otherwise. */
    private final Designation single;
    /** Initial G0/G1 designations when code extensions are in use. */
    private final Designation[] initial;

    private SpecificCharacterSet(List<String> terms, Designation single, Designation[] initial) {
        this.terms = terms;
        this.single = single;
        this.initial = initial;
    }

    /** The character set named by the values of (0008,0005); unknown terms fall back to the default. */
    public static SpecificCharacterSet of(List<String> values) {
        if (values == null || values.isEmpty()) {
            return DEFAULT;
        }
        List<String> terms = values.stream().map(v -> v.strip().toUpperCase(Locale.ROOT)).toList();
        boolean extensions = terms.size() > 1 || terms.get(0).startsWith("ISO 2022");
        if (!extensions) {
            Designation d = Designation.ofTerm(terms.get(0));
            return new SpecificCharacterSet(terms, d == null ? Designation.LATIN1_FULL : d, null);
        }
        // The first value designates the initial G0 (and G1 for single-byte sets); empty means ISO-IR 6.
        Designation first = Designation.ofTerm(terms.get(0));
        Designation g0 = Designation.ASCII;
        Designation g1 = null;
        if (first != null) {
            if (first == Designation.JIS_X0201_KATAKANA) {
                g0 = Designation.JIS_X0201_ROMAN;
                g1 = first;
            } else if (first.g1) {
                g1 = first;
            } else if (first != Designation.LATIN1_FULL) {
                g0 = first;
            }
        }
        return new SpecificCharacterSet(terms, null, new Designation[] {g0, g1});
    }

    public List<String> terms() {
        return terms;
    }

    /** Whether this character set is the default (no (0008,0005), or an empty value). */
    public boolean isDefault() {
        return this == DEFAULT;
    }

    /**
     * Decodes a text value. {@code delimiters} are the characters after which code extensions return to
     * their initial state: backslash for multi-valued VRs, plus {@code ^} and {@code =} for PN.
     */
    public String decode(byte[] bytes, int off, int len, String delimiters) {
        if (single != null) {
            return single.decode(bytes, off, len);
        }
        StringBuilder out = new StringBuilder(len);
        Designation g0 = initial[0];
        Designation g1 = initial[1];
        int i = off;
        int end = off + len;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b == 0x1B) {
                int consumed = escapeLength(bytes, i, end);
                Designation d = consumed > 0 ? Designation.ofEscape(bytes, i + 1, consumed - 1) : null;
                if (d == null) {
                    out.append('\uFFFD');
                    i++;
                    continue;
                }
                if (d.g1) {
                    g1 = d;
                } else {
                    g0 = d;
                }
                i += consumed;
                continue;
            }
            // A run of bytes in one half (G0 < 0x80, G1 >= 0x80) without escapes or delimiters.
            boolean high = b >= 0x80;
            int j = i;
            while (j < end) {
                int c = bytes[j] & 0xFF;
                if (c == 0x1B || (c >= 0x80) != high) {
                    break;
                }
                if (!high && g0.singleByte && delimiters.indexOf(c) >= 0) {
                    break;
                }
                j++;
            }
            if (j == i) {
                // a delimiter in G0: emit it and return to the initial designations
                out.append((char) b);
                g0 = initial[0];
                g1 = initial[1];
                i++;
                continue;
            }
            Designation d = high ? (g1 == null ? Designation.LATIN1_FULL : g1) : g0;
            out.append(d.decode(bytes, i, j - i));
            i = j;
        }
        return out.toString();
    }

    /** Length of an escape sequence at i: ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E. */
    private static int escapeLength(byte[] bytes, int i, int end) {
        int j = i + 1;
        while (j < end && (bytes[j] & 0xFF) >= 0x20 && (bytes[j] & 0xFF) <= 0x2F) {
            j++;
        }
        if (j < end && (bytes[j] & 0xFF) >= 0x30 && (bytes[j] & 0xFF) <= 0x7E) {
            return j + 1 - i;
        }
        return 0;
    }

    @Override
    public String toString() {
        return String.join("\\", terms);
    }

    /** A coded character set that can be designated, with how to turn its bytes into text. */
    enum Designation {
        ASCII("ISO-8859-1", false, true, "ISO 2022 IR 6", "ISO_IR 6", "(B"),
        LATIN1_FULL("ISO-8859-1", false, true),
        LATIN1("ISO-8859-1", true, true, "ISO_IR 100", "ISO 2022 IR 100", "-A"),
        LATIN2("ISO-8859-2", true, true, "ISO_IR 101", "ISO 2022 IR 101", "-B"),
        LATIN3("ISO-8859-3", true, true, "ISO_IR 109", "ISO 2022 IR 109", "-C"),
        LATIN4("ISO-8859-4", true, true, "ISO_IR 110", "ISO 2022 IR 110", "-D"),
        CYRILLIC("ISO-8859-5", true, true, "ISO_IR 144", "ISO 2022 IR 144", "-L"),
        ARABIC("ISO-8859-6", true, true, "ISO_IR 127", "ISO 2022 IR 127", "-G"),
        GREEK("ISO-8859-7", true, true, "ISO_IR 126", "ISO 2022 IR 126", "-F"),
        HEBREW("ISO-8859-8", true, true, "ISO_IR 138", "ISO 2022 IR 138", "-H"),
        LATIN5("ISO-8859-9", true, true, "ISO_IR 148", "ISO 2022 IR 148", "-M"),
        LATIN9("ISO-8859-15", true, true, "ISO_IR 203", "ISO 2022 IR 203", "-b"),
        THAI("TIS-620", true, true, "ISO_IR 166", "ISO 2022 IR 166", "-T"),
        JIS_X0201_KATAKANA("JIS_X0201", true, true, "ISO_IR 13", "ISO 2022 IR 13", ")I"),
        JIS_X0201_ROMAN("JIS_X0201", false, true, null, null, "(J"),
        /** JIS X 0208 in G0: 7-bit byte pairs, decoded as EUC-JP after setting the high bits. */
        JIS_X0208("EUC-JP", false, false, "ISO 2022 IR 87", null, "$B", "$@"),
        /** JIS X 0212 in G0: 7-bit byte pairs, EUC-JP code set 3 (0x8F prefix). */
        JIS_X0212("EUC-JP", false, false, "ISO 2022 IR 159", null, "$(D"),
        /** KS X 1001 in G1: EUC-KR bytes. */
        KS_X1001("EUC-KR", true, false, "ISO 2022 IR 149", null, "$)C"),
        /** GB 2312 in G1: EUC-CN bytes. */
        GB2312("GB2312", true, false, "ISO 2022 IR 58", null, "$)A"),
        UTF8("UTF-8", false, false, "ISO_IR 192", null),
        GB18030("GB18030", false, false, "GB18030", null),
        GBK("GBK", false, false, "GBK", null);

        private final Charset charset;
        final boolean g1;
        final boolean singleByte;
        private final String term;
        private final String term2;
        private final String[] escapes;

        Designation(String charset, boolean g1, boolean singleByte, String term, String term2, String... escapes) {
            this.charset = Charset.isSupported(charset) ? Charset.forName(charset) : StandardCharsets.ISO_8859_1;
            this.g1 = g1;
            this.singleByte = singleByte;
            this.term = term;
            this.term2 = term2;
            this.escapes = escapes;
        }

        Designation(String charset, boolean g1, boolean singleByte) {
            this(charset, g1, singleByte, null, null);
        }

        static Designation ofTerm(String term) {
            if (term.isEmpty()) {
                return null;
            }
            for (Designation d : values()) {
                if (term.equals(d.term) || term.equals(d.term2)) {
                    return d;
                }
            }
            return null;
        }

        static Designation ofEscape(byte[] bytes, int off, int len) {
            String seq = new String(bytes, off, len, StandardCharsets.ISO_8859_1);
            for (Designation d : values()) {
                if (Arrays.asList(d.escapes).contains(seq)) {
                    return d;
                }
            }
            return null;
        }

        String decode(byte[] bytes, int off, int len) {
            byte[] src = bytes;
            int from = off;
            int n = len;
            if (this == JIS_X0208 || this == JIS_X0212) {
                int prefix = this == JIS_X0212 ? 1 : 0;
                int pairs = len / 2;
                src = new byte[pairs * (2 + prefix)];
                for (int p = 0, o = 0; p < pairs; p++) {
                    if (prefix == 1) {
                        src[o++] = (byte) 0x8F;
                    }
                    src[o++] = (byte) (bytes[off + 2 * p] | 0x80);
                    src[o++] = (byte) (bytes[off + 2 * p + 1] | 0x80);
                }
                from = 0;
                n = src.length;
            }
            CharsetDecoder decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try {
                return decoder.decode(ByteBuffer.wrap(src, from, n)).toString();
            } catch (CharacterCodingException e) {
                return new String(src, from, n, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
