package io.dicomflow.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that builds the {@link CommandLine}: the {@code main} method and the tests use it,
 * so tests see exactly the error handling and exit codes a user gets, and can capture the output
 * by passing their own writers.
 */
public final class CliFactory {

    private CliFactory() {
    }

    /** A command line writing to the process's stdout and stderr. */
    public static CommandLine create() {
        return create(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** A command line writing to the given writers (tests pass {@code StringWriter}s). */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new DicomflowCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Every subcommand has -V (from mixinStandardHelpOptions); make it print the same version.
        commandLine.getSubcommands().values()
                .forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        commandLine.setParameterExceptionHandler(new OneLineUsageError());
        commandLine.setExecutionExceptionHandler(new OneLineExecutionError());
        return commandLine;
    }

    /** Bad options or arguments: one line naming the problem, one line pointing at --help. */
    private static final class OneLineUsageError implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine command = ex.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(prefix(command) + ex.getMessage());
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage and examples.");
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
    }

    /**
     * Anything a command throws becomes one line on stderr: users get the reason, never a stack
     * trace. Expected failures carry their own exit code; the rest map to {@link ExitCodes}.
     */
    private static final class OneLineExecutionError implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
            PrintWriter err = command.getErr();
            int exitCode;
            String message;
            if (ex instanceof CliException cliException) {
                exitCode = cliException.exitCode();
                message = cliException.getMessage();
            } else if (ex instanceof UncheckedIOException io) {
                exitCode = ExitCodes.INVALID_INPUT;
                message = describe(io.getCause());
            } else if (ex instanceof java.io.IOException io) {
                exitCode = ExitCodes.INVALID_INPUT;
                message = describe(io);
            } else {
                exitCode = ExitCodes.FAILURE;
                message = "internal error: " + ex;
            }
            command.getOut().flush();
            err.println(prefix(command) + message);
            err.flush();
            return exitCode;
        }
    }

    static String describe(java.io.IOException io) {
        if (io instanceof NoSuchFileException) {
            return "no such file or folder: " + io.getMessage();
        }
        if (io instanceof AccessDeniedException) {
            return "permission denied: " + io.getMessage();
        }
        return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
    }

    private static String prefix(CommandLine command) {
        return command.getCommandSpec().qualifiedName() + ": ";
    }
}
