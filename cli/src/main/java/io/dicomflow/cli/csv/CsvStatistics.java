package io.dicomflow.cli.csv;

import java.util.List;

/**
 * What {@code csv-stats} reports for one file.
 *
 * @param columns    header names, in file order
 * @param rows       data rows (the header and blank lines are not counted)
 * @param numeric    statistics of the numeric columns, in file order
 * @param skipped    the other columns and why they were skipped
 * @param raggedRows rows whose number of fields differs from the header's
 * @param firstRaggedLine line of the first such row, 0 when there is none
 */
public record CsvStatistics(String file, List<String> columns, long rows, List<NumericColumn> numeric,
                            List<SkippedColumn> skipped, long raggedRows, long firstRaggedLine) {

    public CsvStatistics {
        columns = List.copyOf(columns);
        numeric = List.copyOf(numeric);
        skipped = List.copyOf(skipped);
    }
}
