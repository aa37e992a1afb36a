package io.dicomflow.cli;

/**
 * The exit codes of every {@code dicomflow} command. Scripts rely on them, so they are part of
 * the public interface (documented in docs/cli.md and in {@code dicomflow --help}).
 */
public final class ExitCodes {

    /** The command did all it was asked. */
    public static final int OK = 0;

    /**
     * The command ran but part of the work failed (e.g. a malformed element was skipped), or an
     * unexpected internal error happened.
     */
    public static final int FAILURE = 1;

    /**
     * Invalid input: bad options or arguments, a missing or unreadable file or folder, or a
     * file that is not in the expected format (not CSV, not element JSON, not readable DICOM).
     */
    public static final int INVALID_INPUT = 2;

    /** The exit-code table of every --help (picocli's "code:description" form). */
    public static final String HEADING = "%nExit codes:%n";
    public static final String OK_LINE = "0:ok";
    public static final String FAILURE_LINE = "1:the command ran but part of the work failed, or an internal error";
    public static final String INVALID_INPUT_LINE =
            "2:invalid input: bad options, missing or unreadable file, wrong file format";

    private ExitCodes() {
    }
}
