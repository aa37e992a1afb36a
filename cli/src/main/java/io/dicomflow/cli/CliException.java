package io.dicomflow.cli;

/**
 * An expected failure of a command: the handler installed by {@link CliFactory} prints its message
 * as one line on stderr (no stack trace) and exits with {@link #exitCode()}.
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Invalid input (exit code 2): missing file, wrong format, bad option value. */
    public static CliException invalidInput(String message) {
        return new CliException(ExitCodes.INVALID_INPUT, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
