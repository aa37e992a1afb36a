package io.dicomflow.cli.elements;

/** What happened to one element: processed with its figures, or skipped with the reason. */
public sealed interface ElementOutcome permits ElementOutcome.Processed, ElementOutcome.Skipped {

    /** Key of the element in the file ("1", "2", ...). */
    String key();

    /**
     * @param size                      number of integers in the element's data
     * @param average                   plain average of the values
     * @param averageAfterNormalization average after dividing every value by the element's maximum
     *                                  (for a maximum of 0 or less, see common's
     *                                  {@code PixelStatistics.normalizedAverage})
     * @param thread                    the pool thread that processed it (shows the work was spread)
     */
    record Processed(String key, String id, String deviceName, long size, long min, long max, double average,
                     double averageAfterNormalization, String thread) implements ElementOutcome {
    }

    /** @param id {@code null} when the element's id itself could not be read */
    record Skipped(String key, String id, String reason) implements ElementOutcome {
    }
}
