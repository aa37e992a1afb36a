package io.dicomflow.cli.upload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One STOMP 1.2 frame and its text codec: {@code COMMAND LF (name:value LF)* LF body NUL}. Header
 * values are escaped ({@code \\ \n \r \c}) except in CONNECT/CONNECTED frames, as the specification
 * says. Only the part of STOMP the CLI needs (text bodies, no content-length framing: JSON bodies never
 * hold a NUL).
 */
public record StompFrame(String command, Map<String, String> headers, String body) {

    public StompFrame {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? "" : body;
    }

    public static StompFrame of(String command, String... nameValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return new StompFrame(command, headers, "");
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The frame as sent on the wire, NUL-terminated. */
    public String encode() {
        boolean escape = !isConnectFrame(command);
        StringBuilder text = new StringBuilder(command).append('\n');
        headers.forEach((name, value) -> text.append(escape ? escape(name) : name).append(':')
                .append(escape ? escape(value) : value).append('\n'));
        return text.append('\n').append(body).append('\0').toString();
    }

    /**
     * Decodes every frame of a WebSocket message (usually one). Heart-beats (bare EOLs between
     * frames) are skipped; a message holding only heart-beats gives an empty list.
     *
     * @throws IllegalArgumentException when the text is not STOMP
     */
    public static List<StompFrame> decodeAll(String text) {
        List<StompFrame> frames = new ArrayList<>();
        int position = 0;
        while (true) {
            while (position < text.length() && (text.charAt(position) == '\n' || text.charAt(position) == '\r')) {
                position++;
            }
            if (position >= text.length()) {
                return frames;
            }
            int end = text.indexOf('\0', position);
            if (end < 0) {
                throw new IllegalArgumentException("STOMP frame without NUL terminator");
            }
            frames.add(decode(text.substring(position, end)));
            position = end + 1;
        }
    }

    /** Decodes one frame without its NUL terminator. */
    static StompFrame decode(String frame) {
        int headerEnd = frame.indexOf("\n\n");
        int bodyStart = headerEnd + 2;
        int crlf = frame.indexOf("\r\n\r\n");
        if (crlf >= 0 && (headerEnd < 0 || crlf < headerEnd)) {
            headerEnd = crlf;
            bodyStart = crlf + 4;
        }
        if (headerEnd < 0) {
            // a frame with neither headers nor body ends right after its command line
            headerEnd = frame.length();
            bodyStart = frame.length();
        }
        String[] lines = frame.substring(0, headerEnd).split("\r?\n");
        String command = lines[0].trim();
        if (command.isEmpty() || !command.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("not a STOMP command: " + command);
        }
        boolean unescape = !isConnectFrame(command);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed STOMP header line");
            }
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1);
            // the first occurrence of a repeated header wins (STOMP 1.2)
            headers.putIfAbsent(unescape ? unescape(name) : name, unescape ? unescape(value) : value);
        }
        return new StompFrame(command, headers, frame.substring(Math.min(bodyStart, frame.length())));
    }

    private static boolean isConnectFrame(String command) {
        return command.equals("CONNECT") || command.equals("CONNECTED") || command.equals("STOMP");
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace(":", "\\c");
    }

    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                throw new IllegalArgumentException("dangling escape in STOMP header");
            }
            switch (value.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'c' -> out.append(':');
                default -> throw new IllegalArgumentException("undefined escape in STOMP header: \\" + value.charAt(i));
            }
        }
        return out.toString();
    }
}
