package io.dicomflow.common.dicom;

/**
 * The one error a DICOM parse ends with: where it stopped (byte offset in the file or stream,
 * counted from its first byte; for deflated data, the offset in the inflated stream), the tag being
 * read (or -1 before the first element), and why.
 */
public class DicomParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final int tag;
    private final String reason;

    public DicomParseException(long offset, int tag, String reason) {
        this(offset, tag, reason, null);
    }

    public DicomParseException(long offset, int tag, String reason, Throwable cause) {
        super("DICOM parse failed at offset " + offset + ", tag " + (tag == -1 ? "(none)" : Tags.format(tag)) + ": " + reason,
                cause);
        this.offset = offset;
        this.tag = tag;
        this.reason = reason;
    }

    /** Byte offset where parsing stopped. */
    public long offset() {
        return offset;
    }

    /** The tag being read, or -1 when no element had been started. */
    public int tag() {
        return tag;
    }

    /** Human-readable cause, without position. */
    public String reason() {
        return reason;
    }
}
