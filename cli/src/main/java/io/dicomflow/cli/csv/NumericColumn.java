package io.dicomflow.cli.csv;

/**
 * Statistics of one numeric column.
 *
 * @param column  header name
 * @param index   0-based position in the header
 * @param count   number of values (non-empty cells)
 * @param missing number of empty cells (not part of the statistics)
 * @param std     population standard deviation
 */
public record NumericColumn(String column, int index, long count, long missing,
                            double mean, double std, double min, double max) {
}
