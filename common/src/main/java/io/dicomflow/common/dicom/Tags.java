package io.dicomflow.common.dicom;

/** Tag numbers (group &lt;&lt; 16 | element) the reader itself needs, and tag formatting. */
public final class Tags {
    public static final int FILE_META_GROUP_LENGTH = 0x00020000;
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    public static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    public static final int PIXEL_DATA = 0x7FE00010;
    public static final int EXTENDED_OFFSET_TABLE = 0x7FE00001;
    public static final int EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002;
    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Tags() {
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    public static boolean isPrivate(int tag) {
        return (group(tag) & 1) == 1;
    }

    /** A private creator element (gggg,0010-00FF) of an odd group, whose value names the block owner. */
    public static boolean isPrivateCreator(int tag) {
        int element = element(tag);
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    public static boolean isPixelData(int tag) {
        return tag == PIXEL_DATA || tag == FLOAT_PIXEL_DATA || tag == DOUBLE_FLOAT_PIXEL_DATA;
    }

    /** {@code (gggg,eeee)} in upper-case hex, as written in PS3.6. */
    public static String format(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    /** Parses {@code (gggg,eeee)}, {@code gggg,eeee} or {@code ggggeeee}; throws IllegalArgumentException otherwise. */
    public static int parse(String text) {
        String hex = text.strip().replace("(", "").replace(")", "").replace(",", "");
        if (hex.length() != 8) {
            throw new IllegalArgumentException("not a tag: " + text);
        }
        return (int) Long.parseLong(hex, 16);
    }
}
