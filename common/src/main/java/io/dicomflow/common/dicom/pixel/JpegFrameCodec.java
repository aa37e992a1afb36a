package io.dicomflow.common.dicom.pixel;

/**
 * The JPEG transfer syntaxes (baseline, extended, lossless): the frame header decides who decodes.
 * Lossless and 12-bit streams go to the own {@link JpegDecoder}; 8-bit DCT streams to ImageIO, whose
 * libjpeg-derived decoder converts colour and upsamples chroma exactly as the reference decoders do.
 * The frame header, not the transfer syntax, is trusted: files labelled baseline often hold 12-bit data.
 */
final class JpegFrameCodec implements FrameCodec {
    private final JpegDecoder own = new JpegDecoder();
    private final ImageIoFrameCodec imageIo = new ImageIoFrameCodec("jpeg");

    @Override
    public void decode(byte[] frame, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        JpegDecoder.FrameHeader h = JpegDecoder.peekFrameHeader(frame);
        if (h != null && h.precision() == 8 && (h.sof() == 0xC0 || h.sof() == 0xC1 || h.sof() == 0xC2)) {
            imageIo.decode(frame, m, out);
        } else {
            own.decode(frame, m, out);
        }
    }
}
