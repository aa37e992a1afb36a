package io.dicomflow.common.analysis;

/**
 * An 8-bit PNG preview of the first frame, longest side at most {@link ThumbnailRenderer#MAX_SIDE} pixels.
 *
 * @param width  width in pixels
 * @param height height in pixels
 * @param png    the PNG file bytes (grey for monochrome, RGB for colour)
 */
public record Thumbnail(int width, int height, byte[] png) {
    public Thumbnail {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
