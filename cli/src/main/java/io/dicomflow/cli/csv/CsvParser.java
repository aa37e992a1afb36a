package io.dicomflow.cli.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: one record at a time, so files larger than memory can be read.
 *
 * <p>Handles quoted fields (with the delimiter, doubled quotes and line breaks inside), CRLF, LF
 * and CR line ends, and a leading byte order mark. It is lenient where RFC 4180 is strict: text
 * after a closing quote is kept ({@code "ab"c} reads as {@code abc}) and a quote inside an unquoted
 * field is an ordinary character. A field may not exceed a maximum length, so an unterminated
 * quote in a huge file fails with a clear message instead of filling the memory.
 */
public final class CsvParser implements Closeable {

    /** Longest field accepted by default (characters). */
    public static final int DEFAULT_MAX_FIELD_CHARS = 1 << 20;

    private static final int EOF = -1;
    private static final char BOM = '\uFEFF';

    private final Reader reader;
    private final char delimiter;
    private final int maxFieldChars;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private boolean started;
    private long line = 1;
    private long recordLine = 1;

    public CsvParser(Reader reader, char delimiter, int maxFieldChars) {
        this.reader = reader;
        this.delimiter = delimiter;
        this.maxFieldChars = maxFieldChars;
    }

    /** A record made of one empty field: what a blank line reads as. */
    public static boolean isBlank(List<String> record) {
        return record.size() == 1 && record.get(0).isEmpty();
    }

    /** The line (1-based) on which the record last returned by {@link #nextRecord()} started. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record, or {@code null} at the end of the input. */
    public List<String> nextRecord() throws IOException {
        if (!started) {
            started = true;
            if (peek() == BOM) {
                read();
            }
        }
        if (peek() == EOF) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            int c = read();
            if (c == EOF) {
                fields.add(field.toString());
                return fields;
            }
            if (c == '"' && field.isEmpty()) {
                readQuoted(field);
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                fields.add(field.toString());
                return fields;
            } else {
                append(field, (char) c);
            }
        }
    }

    /** Reads the rest of a quoted field, up to and including its closing quote. */
    private void readQuoted(StringBuilder field) throws IOException {
        long startLine = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new CsvFormatException(startLine, "quoted field is never closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                    append(field, '"');
                } else {
                    return;
                }
            } else {
                if (c == '\n' || (c == '\r' && peek() != '\n')) {
                    line++;
                }
                append(field, (char) c);
            }
        }
    }

    private void append(StringBuilder field, char c) {
        if (field.length() >= maxFieldChars) {
            throw new CsvFormatException(recordLine,
                    "field longer than " + maxFieldChars + " characters (an unclosed quote?)");
        }
        field.append(c);
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = reader.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** The input is not valid CSV; the message names the line. */
    public static final class CsvFormatException extends RuntimeException {
        private final long line;

        public CsvFormatException(long line, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }
}
