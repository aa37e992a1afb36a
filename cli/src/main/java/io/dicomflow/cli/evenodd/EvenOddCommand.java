package io.dicomflow.cli.evenodd;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JsonGenerator;

/** {@code dicomflow even-odd}: the brief's Task 3.1. */
@Command(
        name = "even-odd",
        mixinStandardHelpOptions = true,
        header = "Print 1..N strictly in order from an odd and an even thread.",
        description = {
                "Prints 1, 2, 3, ... N from two threads: '" + EvenOddPrinter.ODD_THREAD + "' prints the odd "
                        + "numbers and '" + EvenOddPrinter.EVEN_THREAD + "' the even ones. They take turns "
                        + "(a lock and a condition on a shared counter), so the order is always strictly increasing.",
                "Each line shows the number and the thread that printed it. There is half a second between "
                        + "numbers, as the brief asks (--delay-ms 0 prints at full speed)."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow even-odd --to 10                 # one number every 0.5 s",
                "  dicomflow even-odd --to 20 --delay-ms 100",
                "  dicomflow even-odd --to 1000 --delay-ms 0 --json | jq '.numbers | length'"
        })
public final class EvenOddCommand implements Callable<Integer> {

    /** Large enough for any demonstration, small enough that --json stays a sane size. */
    static final int MAX_TO = 10_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", defaultValue = "200", paramLabel = "N",
            description = "Last number to print (default: ${DEFAULT-VALUE}, at most " + MAX_TO + ").")
    int to;

    /** The brief's Task 3.1 asks for half a second between numbers; --delay-ms 0 runs at full speed. */
    static final String DEFAULT_DELAY_MS = "500";

    @Option(names = "--delay-ms", defaultValue = DEFAULT_DELAY_MS, paramLabel = "MILLIS",
            description = "Pause after each number, in milliseconds (default: ${DEFAULT-VALUE}, as the brief asks; "
                    + "0 for full speed).")
    long delayMillis;

    @Option(names = "--json", description = "Print one JSON object: {\"to\", \"numbers\": [{\"number\", \"thread\"}]}.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (to < 0 || to > MAX_TO) {
            throw CliException.invalidInput("--to must be between 0 and " + MAX_TO + ", got " + to);
        }
        if (delayMillis < 0 || delayMillis > 60_000) {
            throw CliException.invalidInput("--delay-ms must be between 0 and 60000, got " + delayMillis);
        }
        PrintWriter out = spec.commandLine().getOut();
        EvenOddPrinter printer = new EvenOddPrinter(to, delayMillis);
        if (json) {
            printJson(printer, out);
        } else {
            printer.run(number -> {
                out.println(number + " " + Thread.currentThread().getName());
                if (delayMillis > 0) {
                    out.flush();
                }
            });
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Streams the array element by element, so a large N never builds a list in memory. */
    private void printJson(EvenOddPrinter printer, PrintWriter out) throws InterruptedException {
        try (JsonGenerator generator = Json.mapper().createGenerator(new NonClosingWriter(out))) {
            generator.writeStartObject();
            generator.writeNumberProperty("to", to);
            generator.writeArrayPropertyStart("numbers");
            printer.run(number -> {
                generator.writeStartObject();
                generator.writeNumberProperty("number", number);
                generator.writeStringProperty("thread", Thread.currentThread().getName());
                generator.writeEndObject();
            });
            generator.writeEndArray();
            generator.writeEndObject();
        }
        out.println();
    }

    /** Lets the JSON generator close without closing the command's output writer. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(PrintWriter out) {
            super(out);
        }

        @Override
        public void close() {
            flushQuietly();
        }

        private void flushQuietly() {
            try {
                flush();
            } catch (java.io.IOException ignored) {
                // PrintWriter never throws; nothing to report.
            }
        }
    }
}
