package io.dicomflow.common.dicom;

/**
 * Caps that keep a hostile file from exhausting memory or time. A file that exceeds a cap ends in a
 * {@link DicomParseException}; values above {@code maxInlineValueBytes} are not kept in memory but
 * skipped and referenced by offset (bulk data), which is not an error.
 *
 * @param maxInlineValueBytes   largest value kept in memory; larger values become bulk references
 * @param maxRetainedBytes      total of kept value bytes across the whole header
 * @param maxElements           number of elements and sequence items, all nesting levels together
 * @param maxDepth              sequence nesting depth
 * @param maxInflatedBytes      bytes a deflated dataset may inflate to, pixel data included
 * @param maxInflationRatio     beyond the first {@link #INFLATION_ALLOWANCE} bytes, inflated bytes per deflated
 *                              byte read: a deflate bomb (about 1000:1) ends after a few MiB, not at the cap
 */
public record ReaderLimits(int maxInlineValueBytes, long maxRetainedBytes, int maxElements, int maxDepth,
                           long maxInflatedBytes, int maxInflationRatio) {
    /** Inflated bytes always allowed, whatever the ratio. */
    public static final long INFLATION_ALLOWANCE = 16L << 20;

    /** Inflated bytes per deflated byte when not given: real datasets and images stay well below. */
    public static final int DEFAULT_INFLATION_RATIO = 256;

    /** 16 MiB per value, 256 MiB in all, 1 million elements, 64 levels, 1 GiB inflated at most 256:1. */
    public static final ReaderLimits DEFAULT = new ReaderLimits(16 << 20, 256L << 20, 1_000_000, 64, 1L << 30);

    public ReaderLimits {
        if (maxInlineValueBytes < 0 || maxRetainedBytes < 0 || maxElements < 1 || maxDepth < 1
                || maxInflatedBytes < 0 || maxInflationRatio < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** With the {@link #DEFAULT_INFLATION_RATIO}. */
    public ReaderLimits(int maxInlineValueBytes, long maxRetainedBytes, int maxElements, int maxDepth,
                        long maxInflatedBytes) {
        this(maxInlineValueBytes, maxRetainedBytes, maxElements, maxDepth, maxInflatedBytes, DEFAULT_INFLATION_RATIO);
    }
}
