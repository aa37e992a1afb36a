package io.dicomflow.cli.csv;

/** A column left out of the statistics, and why (e.g. its first non-numeric cell). */
public record SkippedColumn(String column, int index, String reason) {
}
