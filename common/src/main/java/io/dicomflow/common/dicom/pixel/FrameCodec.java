package io.dicomflow.common.dicom.pixel;

/**
 * Decodes one compressed frame (its fragments joined) into stored sample words. This is what a codec
 * registers in {@link PixelDecoders}; fragment handling, masking to Bits Stored and sign extension are
 * done around it by {@link EncapsulatedFrameDecoder}.
 *
 * <p>Implementations treat the frame as hostile: they allocate and work in proportion to the frame's
 * length and the declared frame size ({@code m.valuesPerFrame()}), never to sizes read from the data,
 * and fail with {@link UnsupportedPixelDataException} (never an unchecked exception) on corrupt input.
 */
@FunctionalInterface
interface FrameCodec {
    /**
     * @param frame the compressed frame
     * @param m     the validated Image Pixel Module; the codestream must describe the same frame size
     * @param out   receives {@code m.valuesPerFrame()} values, samples of a pixel interleaved
     */
    void decode(byte[] frame, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException;
}
