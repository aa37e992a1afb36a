package io.dicomflow.common.dicom;

/**
 * Value Representations of DICOM PS3.5 section 6.2, with the facts the parser needs.
 *
 * <p>{@code longHeader} marks the VRs whose explicit-VR element header is 12 bytes (2 reserved bytes
 * and a 32-bit length, PS3.5 7.1.2); the others use a 16-bit length in an 8-byte header.
 * {@code bytesPerValue} is the fixed size of one binary value (0 for text or opaque bytes).
 */
public enum VR {
    AE(Kind.TEXT, false, 0, ' '),
    AS(Kind.TEXT, false, 0, ' '),
    AT(Kind.BINARY, false, 4, '\0'),
    CS(Kind.TEXT, false, 0, ' '),
    DA(Kind.TEXT, false, 0, ' '),
    DS(Kind.TEXT, false, 0, ' '),
    DT(Kind.TEXT, false, 0, ' '),
    FL(Kind.BINARY, false, 4, '\0'),
    FD(Kind.BINARY, false, 8, '\0'),
    IS(Kind.TEXT, false, 0, ' '),
    LO(Kind.CHARSET_TEXT, false, 0, ' '),
    LT(Kind.CHARSET_TEXT, false, 0, ' '),
    OB(Kind.OPAQUE, true, 1, '\0'),
    OD(Kind.OPAQUE, true, 8, '\0'),
    OF(Kind.OPAQUE, true, 4, '\0'),
    OL(Kind.OPAQUE, true, 4, '\0'),
    OV(Kind.OPAQUE, true, 8, '\0'),
    OW(Kind.OPAQUE, true, 2, '\0'),
    PN(Kind.CHARSET_TEXT, false, 0, ' '),
    SH(Kind.CHARSET_TEXT, false, 0, ' '),
    SL(Kind.BINARY, false, 4, '\0'),
    SQ(Kind.SEQUENCE, true, 0, '\0'),
    SS(Kind.BINARY, false, 2, '\0'),
    ST(Kind.CHARSET_TEXT, false, 0, ' '),
    SV(Kind.BINARY, true, 8, '\0'),
    TM(Kind.TEXT, false, 0, ' '),
    UC(Kind.CHARSET_TEXT, true, 0, ' '),
    UI(Kind.TEXT, false, 0, '\0'),
    UL(Kind.BINARY, false, 4, '\0'),
    UN(Kind.OPAQUE, true, 1, '\0'),
    UR(Kind.TEXT, true, 0, ' '),
    US(Kind.BINARY, false, 2, '\0'),
    UT(Kind.CHARSET_TEXT, true, 0, ' '),
    UV(Kind.BINARY, true, 8, '\0');

    /** How a value of this VR is interpreted. */
    public enum Kind {
        /** Text in the default repertoire (ASCII), never affected by Specific Character Set. */
        TEXT,
        /** Text decoded with the Specific Character Set of the dataset (PS3.5 6.1.2.3). */
        CHARSET_TEXT,
        /** Fixed-size binary numbers in the transfer syntax's byte order. */
        BINARY,
        /** Opaque bytes or words (OB, OW, OF...), possibly bulk data. */
        OPAQUE,
        /** A sequence of items. */
        SEQUENCE
    }

    private final Kind kind;
    private final boolean longHeader;
    private final int bytesPerValue;
    private final char padding;

    VR(Kind kind, boolean longHeader, int bytesPerValue, char padding) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.bytesPerValue = bytesPerValue;
        this.padding = padding;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the explicit-VR header has 2 reserved bytes and a 32-bit length (12 bytes in all). */
    public boolean hasLongHeader() {
        return longHeader;
    }

    /** Size of one value for binary VRs; 0 for text and sequences. */
    public int bytesPerValue() {
        return bytesPerValue;
    }

    /** The byte used to pad values to an even length (space for text, NUL for UI and binary). */
    public char padding() {
        return padding;
    }

    public boolean isText() {
        return kind == Kind.TEXT || kind == Kind.CHARSET_TEXT;
    }

    /** The VR spelled by two ASCII bytes, or null when they are not a VR (e.g. implicit VR data). */
    public static VR of(int first, int second) {
        if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
            return null;
        }
        return BY_CODE[(first - 'A') * 26 + (second - 'A')];
    }

    /** The VR named by a dictionary code; ambiguous dictionary codes (xs, ox, ...) are resolved by the caller. */
    public static VR ofCode(String code) {
        return code.length() == 2 ? of(code.charAt(0), code.charAt(1)) : null;
    }

    private static final VR[] BY_CODE = new VR[26 * 26];

    static {
        for (VR vr : values()) {
            String n = vr.name();
            BY_CODE[(n.charAt(0) - 'A') * 26 + (n.charAt(1) - 'A')] = vr;
        }
    }
}
