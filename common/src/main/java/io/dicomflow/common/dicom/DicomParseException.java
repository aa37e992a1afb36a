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
    /** Not serialised: a parse error is reported where it happens, not shipped across JVMs. */
    private final transient DicomHeader partialHeader;

    public DicomParseException(long offset, int tag, String reason) {
        this(offset, tag, reason, null);
    }

    public DicomParseException(long offset, int tag, String reason, Throwable cause) {
        this(offset, tag, reason, cause, null);
    }

    private DicomParseException(long offset, int tag, String reason, Throwable cause, DicomHeader partialHeader) {
        super("DICOM parse failed at offset " + offset + ", tag " + (tag == -1 ? "(none)" : Tags.format(tag)) + ": " + reason,
                cause);
        this.offset = offset;
        this.tag = tag;
        this.reason = reason;
        this.partialHeader = partialHeader;
    }

    /** The same error carrying what the reader had read before it (keeps cause and stack trace). */
    DicomParseException withPartialHeader(DicomHeader header) {
        DicomParseException e = new DicomParseException(offset, tag, reason, getCause(), header);
        e.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            e.addSuppressed(suppressed);
        }
        return e;
    }

    /**
     * The attributes read before the error when the header parse failed (File Meta Information and the
     * top-level elements completed so far, with the items read of a sequence cut short); empty for errors
     * raised while decoding pixel data, or when the reader did not get as far as the File Meta Information.
     */
    public java.util.Optional<DicomHeader> partialHeader() {
        return java.util.Optional.ofNullable(partialHeader);
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
