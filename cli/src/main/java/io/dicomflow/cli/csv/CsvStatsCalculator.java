package io.dicomflow.cli.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.dicomflow.cli.CliException;

/**
 * Reads a CSV file once, record by record, and keeps only a running accumulator per column, so
 * memory does not grow with the file.
 *
 * <p>Rules (documented in docs/cli.md):
 * <ul>
 *   <li>the first record is the header; blank lines are ignored and not counted as rows;</li>
 *   <li>cells are trimmed; an empty cell is a missing value: it is counted in {@code missing},
 *       left out of the statistics, and does not make its column non-numeric;</li>
 *   <li>a column is numeric when it has at least one value and every non-empty cell is a plain
 *       decimal number ({@code 12}, {@code -3.5}, {@code 1e3}; not {@code NaN}, hex or {@code 1,5});</li>
 *   <li>a row shorter than the header has missing cells at its end; cells beyond the header are
 *       ignored; both kinds of row are counted as ragged.</li>
 * </ul>
 */
public final class CsvStatsCalculator {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final char delimiter;

    public CsvStatsCalculator(char delimiter) {
        this.delimiter = delimiter;
    }

    public CsvStatistics compute(String file, Reader reader) throws IOException {
        CsvParser parser = new CsvParser(reader, delimiter, CsvParser.DEFAULT_MAX_FIELD_CHARS);
        List<String> header = nextNonBlank(parser);
        if (header == null) {
            throw CliException.invalidInput(file + ": empty file, no header row");
        }
        header = header.stream().map(String::strip).toList();
        ColumnState[] columns = new ColumnState[header.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnState();
        }
        long rows = 0;
        long raggedRows = 0;
        long firstRaggedLine = 0;
        List<String> record;
        while ((record = parser.nextRecord()) != null) {
            if (CsvParser.isBlank(record)) {
                continue;
            }
            rows++;
            if (record.size() != columns.length) {
                raggedRows++;
                if (firstRaggedLine == 0) {
                    firstRaggedLine = parser.recordLine();
                }
            }
            for (int i = 0; i < columns.length; i++) {
                columns[i].accept(i < record.size() ? record.get(i) : "", parser.recordLine());
            }
        }
        return summarise(file, header, rows, columns, raggedRows, firstRaggedLine);
    }

    private static List<String> nextNonBlank(CsvParser parser) throws IOException {
        List<String> record;
        do {
            record = parser.nextRecord();
        } while (record != null && CsvParser.isBlank(record));
        return record;
    }

    private static CsvStatistics summarise(String file, List<String> header, long rows, ColumnState[] columns,
                                           long raggedRows, long firstRaggedLine) {
        List<NumericColumn> numeric = new ArrayList<>();
        List<SkippedColumn> skipped = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            ColumnState state = columns[i];
            String name = header.get(i);
            if (state.firstNonNumeric != null) {
                skipped.add(new SkippedColumn(name, i, "not numeric: '" + abbreviate(state.firstNonNumeric)
                        + "' on line " + state.firstNonNumericLine));
            } else if (state.statistics.count() == 0) {
                skipped.add(new SkippedColumn(name, i, "no values (every cell is empty)"));
            } else {
                RunningStatistics s = state.statistics;
                numeric.add(new NumericColumn(name, i, s.count(), state.missing, s.mean(), s.populationStd(),
                        s.min(), s.max()));
            }
        }
        return new CsvStatistics(file, header, rows, numeric, skipped, raggedRows, firstRaggedLine);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }

    /** The accumulator of one column; once a non-numeric cell is seen, the column stops counting. */
    private static final class ColumnState {
        final RunningStatistics statistics = new RunningStatistics();
        long missing;
        String firstNonNumeric;
        long firstNonNumericLine;

        void accept(String cell, long line) {
            if (firstNonNumeric != null) {
                return;
            }
            String value = cell.strip();
            if (value.isEmpty()) {
                missing++;
            } else if (DECIMAL.matcher(value).matches()) {
                statistics.add(Double.parseDouble(value));
            } else {
                firstNonNumeric = value;
                firstNonNumericLine = line;
            }
        }
    }
}
