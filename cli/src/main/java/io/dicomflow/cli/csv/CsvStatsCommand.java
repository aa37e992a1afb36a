package io.dicomflow.cli.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code dicomflow csv-stats}: the brief's Task 1 CSV summary. */
@Command(
        name = "csv-stats",
        mixinStandardHelpOptions = true,
        header = "Columns, rows, and mean / std / min / max of each numeric column of a CSV file.",
        description = {
                "Prints the columns and row count of a CSV file and, for each numeric column, the mean, "
                        + "population standard deviation, min and max. Non-numeric columns are named as skipped.",
                "The file is streamed: any size works. Quoted fields (with commas, quotes and line breaks "
                        + "inside) and a byte order mark are handled.",
                "Empty cells are missing values: left out of the statistics (reported as 'missing') and "
                        + "they do not make a column non-numeric."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow csv-stats patients.csv",
                "  dicomflow csv-stats export.csv --delimiter ';' --charset ISO-8859-1",
                "  dicomflow csv-stats patients.csv --json | jq '.numeric[] | {column, mean}'"
        })
public final class CsvStatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file; its first record is the header.")
    Path file;

    @Option(names = {"-d", "--delimiter"}, defaultValue = ",", paramLabel = "CHAR",
            description = "Field separator (default: ${DEFAULT-VALUE}); use '\\t' for tab.")
    String delimiter;

    @Option(names = "--charset", defaultValue = "UTF-8", description = "Text encoding (default: ${DEFAULT-VALUE}).")
    Charset charset;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        InputFiles.requireReadableFile(file);
        requireText(file);
        CsvStatistics statistics;
        try (ProgressMeter progress = ProgressMeter.start("csv-stats", Files.size(file), spec.commandLine().getErr());
             Reader reader = openReader(progress.track(Files.newInputStream(file)), charset)) {
            statistics = new CsvStatsCalculator(delimiterChar()).compute(file.toString(), reader);
        } catch (CsvParser.CsvFormatException e) {
            throw CliException.invalidInput(file + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(statistics));
        } else {
            printText(statistics, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private char delimiterChar() {
        String value = "\\t".equals(delimiter) ? "\t" : delimiter;
        if (value.length() != 1 || value.charAt(0) == '"' || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw CliException.invalidInput("--delimiter must be one character other than a quote or line break, got '"
                    + delimiter + "'");
        }
        return value.charAt(0);
    }

    /** A NUL byte near the start means a binary file: refuse it instead of printing nonsense. */
    private static void requireText(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8192);
        }
        for (byte b : head) {
            if (b == 0) {
                throw CliException.invalidInput(file + ": not a text file (binary content)");
            }
        }
    }

    /** Undecodable bytes become U+FFFD rather than aborting a long streaming run. */
    private static Reader openReader(InputStream in, Charset charset) {
        return new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private static void printText(CsvStatistics s, PrintWriter out) {
        out.println("File: " + s.file());
        out.println("Columns (" + s.columns().size() + "): " + String.join(", ", s.columns()));
        out.println("Rows: " + s.rows());
        if (s.raggedRows() > 0) {
            out.println("Rows with a field count other than the header's: " + s.raggedRows()
                    + " (first on line " + s.firstRaggedLine() + "); missing cells count as empty, extra cells are ignored");
        }
        if (!s.numeric().isEmpty()) {
            int width = Math.max(6, s.numeric().stream().mapToInt(c -> c.column().length()).max().orElse(6));
            String format = "%-" + width + "s  %8s  %8s  %14s  %14s  %14s  %14s%n";
            out.println();
            out.printf(format, "Column", "Count", "Missing", "Mean", "Std (pop.)", "Min", "Max");
            for (NumericColumn c : s.numeric()) {
                out.printf(format, c.column(), c.count(), c.missing(), Numbers.format(c.mean()),
                        Numbers.format(c.std()), Numbers.format(c.min()), Numbers.format(c.max()));
            }
        }
        if (!s.skipped().isEmpty()) {
            out.println();
            out.println("Skipped columns:");
            for (SkippedColumn c : s.skipped()) {
                out.println("  " + c.column() + ": " + c.reason());
            }
        }
    }
}
