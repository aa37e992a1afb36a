package io.dicomflow.common.analysis;

/**
 * The file's metadata was read but its pixels cannot be analysed: no pixel data, attributes that do
 * not describe a decodable image, or a transfer syntax without a decoder here. The message says which.
 */
public class UnsupportedImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsupportedImageException(String message) {
        super(message);
    }

    public UnsupportedImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
