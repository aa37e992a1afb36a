package io.dicomflow.common.dicom.pixel;

/** Pixel data that this toolkit cannot decode (codec, layout or attributes), with a readable reason. */
public class UnsupportedPixelDataException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsupportedPixelDataException(String message) {
        super(message);
    }

    public UnsupportedPixelDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
