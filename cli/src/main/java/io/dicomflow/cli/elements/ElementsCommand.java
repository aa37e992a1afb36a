package io.dicomflow.cli.elements;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.InputFiles;
import io.dicomflow.cli.support.Json;
import io.dicomflow.cli.support.Numbers;
import io.dicomflow.cli.support.ProgressMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dicomflow elements}: the brief's Task 3.2. */
@Command(
        name = "elements",
        mixinStandardHelpOptions = true,
        header = "Average before and after normalisation of each element of an element file, on N threads.",
        description = {
                "Reads an element file {\"1\": {\"id\": \"aabbcc1\", \"data\": [\"53 26 49 ...\", ...], "
                        + "\"deviceName\": \"CT SCAN\"}, ...} and processes each element on a pool of worker threads.",
                "For each element it prints the number of values, the average before normalisation and the "
                        + "average after normalisation (every value divided by the element's maximum).",
                "A malformed element is reported and skipped; the others are still processed (exit code 1).",
                "Every worker thread writes to one log file (FILE.json.log beside the input unless --log or "
                        + "--no-log): one whole line per element, with the thread that processed it."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow elements sample-04-json.json        # logs to sample-04-json.json.log",
                "  dicomflow elements big.json --threads 8 --log elements.log",
                "  dicomflow elements sample-04-json.json --json | jq '.elements[] | {id, average}'"
        })
public final class ElementsCommand implements Callable<Integer> {

    static final int MAX_THREADS = 256;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.json", description = "The element file.")
    Path file;

    @Option(names = "--threads", defaultValue = "4", paramLabel = "N",
            description = "Worker threads (default: ${DEFAULT-VALUE}, at most " + MAX_THREADS + ").")
    int threads;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Log file written by all worker threads, one line per element with its thread (created "
                    + "or emptied); default: FILE.json.log beside the input.")
    Path logFile;

    @Option(names = "--no-log", description = "Write no log file.")
    boolean noLog;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (noLog && logFile != null) {
            throw CliException.invalidInput("--log and --no-log exclude each other");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw CliException.invalidInput("--threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        InputFiles.requireReadableFile(file);
        List<ElementOutcome> outcomes;
        CliException inputError = null;
        try (ElementLog log = openLog(); ElementProcessor processor = new ElementProcessor(threads, log)) {
            log.info("reading " + file + " with " + threads + " threads");
            try (ProgressMeter progress = ProgressMeter.start("elements", Files.size(file),
                    spec.commandLine().getErr())) {
                new ElementFileReader().read(file, progress.track(Files.newInputStream(file)), processor::submit);
            } catch (CliException e) {
                // Elements read before the error are still reported; the error decides the exit code.
                inputError = e;
            }
            outcomes = processor.finish();
            log.info("done: " + count(outcomes, ElementOutcome.Processed.class) + " processed, "
                    + count(outcomes, ElementOutcome.Skipped.class) + " skipped");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(outcomes, inputError)));
        } else {
            printText(outcomes, out);
        }
        out.flush();
        if (inputError != null) {
            throw inputError;
        }
        return count(outcomes, ElementOutcome.Skipped.class) > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The brief's Task 3.2 asks for a log every thread writes, so there is one unless --no-log says otherwise. */
    private ElementLog openLog() {
        if (noLog) {
            return ElementLog.none();
        }
        Path target = logFile != null ? logFile : defaultLog(file);
        try {
            return ElementLog.to(target);
        } catch (IOException e) {
            throw CliException.invalidInput("cannot write log file " + target + ": " + e.getMessage()
                    + (logFile == null ? " (choose one with --log FILE, or --no-log)" : ""));
        }
    }

    /** {@code data/elements.json} logs to {@code data/elements.json.log}. */
    static Path defaultLog(Path input) {
        return input.resolveSibling(input.getFileName() + ".log");
    }

    private Map<String, Object> toJson(List<ElementOutcome> outcomes, CliException inputError) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("file", file.toString());
        document.put("threads", threads);
        document.put("processed", count(outcomes, ElementOutcome.Processed.class));
        document.put("skipped", count(outcomes, ElementOutcome.Skipped.class));
        document.put("elements", outcomes.stream().map(ElementsCommand::toJson).toList());
        document.put("error", inputError == null ? null : inputError.getMessage());
        return document;
    }

    private static Map<String, Object> toJson(ElementOutcome outcome) {
        Map<String, Object> element = new LinkedHashMap<>();
        if (outcome instanceof ElementOutcome.Processed p) {
            element.put("status", "processed");
            element.put("key", p.key());
            element.put("id", p.id());
            element.put("deviceName", p.deviceName());
            element.put("size", p.size());
            element.put("min", p.min());
            element.put("max", p.max());
            element.put("average", p.average());
            element.put("averageAfterNormalization", p.averageAfterNormalization());
            element.put("thread", p.thread());
        } else if (outcome instanceof ElementOutcome.Skipped s) {
            element.put("status", "skipped");
            element.put("key", s.key());
            element.put("id", s.id());
            element.put("reason", s.reason());
        }
        return element;
    }

    private void printText(List<ElementOutcome> outcomes, PrintWriter out) {
        out.printf("%s: %d elements, %d processed, %d skipped (%d threads)%n", file, outcomes.size(),
                count(outcomes, ElementOutcome.Processed.class), count(outcomes, ElementOutcome.Skipped.class), threads);
        String format = "%-6s %-12s %-10s %10s %16s %20s  %s%n";
        out.printf(format, "Key", "Id", "Device", "Size", "Average", "Normalized average", "Thread");
        for (ElementOutcome outcome : outcomes) {
            if (outcome instanceof ElementOutcome.Processed p) {
                out.printf(format, p.key(), p.id(), p.deviceName() == null ? "-" : p.deviceName(), p.size(),
                        Numbers.format(p.average()),
                        Numbers.format(p.averageAfterNormalization()),
                        p.thread());
            } else if (outcome instanceof ElementOutcome.Skipped s) {
                out.printf("%-6s %-12s SKIPPED: %s%n", s.key(), s.id() == null ? "-" : s.id(), s.reason());
            }
        }
    }

    private static long count(List<ElementOutcome> outcomes, Class<? extends ElementOutcome> kind) {
        return outcomes.stream().filter(kind::isInstance).count();
    }
}
