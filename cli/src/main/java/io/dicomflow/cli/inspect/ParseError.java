package io.dicomflow.cli.inspect;

import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.Tags;

/**
 * Why a file is not readable DICOM: where parsing stopped.
 *
 * @param offset  byte offset where parsing stopped
 * @param tag     the tag being read as {@code (gggg,eeee)}, or {@code null} before the first element
 * @param message the reason, without position
 */
public record ParseError(long offset, String tag, String message) {

    static ParseError of(DicomParseException e) {
        return new ParseError(e.offset(), e.tag() == -1 ? null : Tags.format(e.tag()), e.reason());
    }

    /** One line: {@code not readable DICOM at offset 132, tag (0008,0016): reason}. */
    String describe() {
        return "not readable DICOM at offset " + offset + (tag == null ? "" : ", tag " + tag) + ": " + message;
    }
}
