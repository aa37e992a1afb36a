package io.dicomflow.cli.ls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.dicomflow.cli.csv.CsvParser;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;

/**
 * Tells DICOM, CSV and JSON files apart by their first bytes, whatever their names are. Only a
 * bounded head of each file is read, so listing a folder of large files stays fast.
 */
public final class ContentSniffer {

    /** How much of each file is looked at. */
    static final int HEAD_BYTES = 64 * 1024;

    /** CSV needs this many consistent records in the head (or all of a shorter file). */
    private static final int CSV_RECORDS_CHECKED = 20;

    private static final Set<String> VALUE_REPRESENTATIONS = Set.of(
            "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
            "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
            "UT", "UV");

    private static final JsonFactory JSON = new JsonFactory();

    /** Sniffs a regular file; I/O problems are reported as {@link FileKind#UNREADABLE}. */
    public FileKind sniff(Path file) {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
            size = Files.size(file);
        } catch (IOException | SecurityException e) {
            return FileKind.UNREADABLE;
        }
        return sniff(head, size);
    }

    /**
     * @param head the first bytes of the file (at most {@link #HEAD_BYTES})
     * @param size the whole file's size, to know whether {@code head} is all of it
     */
    public FileKind sniff(byte[] head, long size) {
        if (isDicom(head, size)) {
            return FileKind.DICOM;
        }
        boolean complete = head.length >= size;
        String text = decodeText(head, complete);
        if (text == null) {
            return FileKind.OTHER;
        }
        if (looksLikeJsonStart(text)) {
            // Text opening with '{' or '[' is meant as JSON: if it does not parse, it is broken
            // JSON ("other"), not a one-line CSV that happens to contain commas.
            return isJson(text, complete) ? FileKind.JSON : FileKind.OTHER;
        }
        if (isCsv(text, complete)) {
            return FileKind.CSV;
        }
        return FileKind.OTHER;
    }

    /**
     * A Part 10 file has "DICM" after its 128-byte preamble. Some files in the wild are a bare data
     * set without preamble or File Meta Information: those are recognised by a first element in
     * group 0002 or 0008 (little or big endian) followed by either a known explicit VR or a
     * plausible implicit-VR length.
     */
    static boolean isDicom(byte[] head, long size) {
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return true;
        }
        if (head.length < 8) {
            return false;
        }
        int groupLittle = (head[0] & 0xff) | (head[1] & 0xff) << 8;
        int groupBig = (head[0] & 0xff) << 8 | (head[1] & 0xff);
        boolean bareGroup = groupLittle == 0x0002 || groupLittle == 0x0008 || groupBig == 0x0008;
        if (!bareGroup) {
            return false;
        }
        String vr = new String(head, 4, 2, StandardCharsets.US_ASCII);
        if (VALUE_REPRESENTATIONS.contains(vr)) {
            return true;
        }
        long implicitLength = groupLittle == 0x0008 || groupLittle == 0x0002
                ? (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24
                : (head[4] & 0xffL) << 24 | (head[5] & 0xffL) << 16 | (head[6] & 0xffL) << 8 | (head[7] & 0xffL);
        return implicitLength <= size - 8 && implicitLength < 1024;
    }

    /**
     * Text means: no NUL byte and valid UTF-8 (a BOM is dropped). A head cut in the middle of a
     * multi-byte character is still text. Returns {@code null} for binary content.
     */
    static String decodeText(byte[] head, boolean complete) {
        int start = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                && (head[2] & 0xff) == 0xBF ? 3 : 0;
        for (int i = start; i < head.length; i++) {
            if (head[i] == 0) {
                return null;
            }
        }
        int end = head.length;
        if (!complete) {
            // Drop a character the head may have cut in two (at most 3 continuation bytes).
            int back = 0;
            while (back < 3 && end - back - 1 >= start && (head[end - back - 1] & 0xC0) == 0x80) {
                back++;
            }
            if (end - back - 1 >= start && (head[end - back - 1] & 0x80) != 0) {
                end = end - back - 1;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(head, start, end - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * JSON: an object or array that parses without error up to the end of the head (a cut-off
     * head may end mid-document). A complete file must hold exactly one JSON value.
     */
    static boolean looksLikeJsonStart(String text) {
        String trimmed = text.stripLeading();
        return !trimmed.isEmpty() && (trimmed.charAt(0) == '{' || trimmed.charAt(0) == '[');
    }

    static boolean isJson(String text, boolean complete) {
        String trimmed = text.stripLeading();
        if (!looksLikeJsonStart(trimmed)) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(tools.jackson.core.ObjectReadContext.empty(), trimmed)) {
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                    if (depth == 0) {
                        // The whole value was read: nothing but whitespace may follow it.
                        return parser.nextToken() == null;
                    }
                }
            }
            return !complete;
        } catch (UnexpectedEndOfInputException e) {
            return !complete;
        } catch (JacksonException e) {
            return false;
        }
    }

    /**
     * CSV: comma-separated records with at least two fields, every record of the head having as
     * many fields as the first (blank lines aside). A one-column file is therefore "other": it
     * cannot be told apart from plain text.
     */
    static boolean isCsv(String text, boolean complete) {
        String body = text;
        if (!complete) {
            // The last line may be cut: keep only whole lines.
            int lastNewline = Math.max(body.lastIndexOf('\n'), body.lastIndexOf('\r'));
            if (lastNewline < 0) {
                return false;
            }
            body = body.substring(0, lastNewline + 1);
        }
        try {
            CsvParser parser = new CsvParser(new java.io.StringReader(body), ',', CsvParser.DEFAULT_MAX_FIELD_CHARS);
            java.util.List<String> first = parser.nextRecord();
            if (first == null || first.size() < 2) {
                return false;
            }
            java.util.List<String> record;
            int checked = 0;
            while (checked < CSV_RECORDS_CHECKED && (record = parser.nextRecord()) != null) {
                if (CsvParser.isBlank(record)) {
                    continue;
                }
                if (record.size() != first.size()) {
                    return false;
                }
                checked++;
            }
            return true;
        } catch (IOException | CsvParser.CsvFormatException e) {
            return false;
        }
    }
}
