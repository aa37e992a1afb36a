package io.dicomflow.common.dicom;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A parsed header with the input left in front of the pixel data value, so pixels can be streamed
 * without a second pass. For deflated transfer syntaxes the stream is already inflated.
 */
public final class DicomStream implements Closeable {
    private final DicomHeader header;
    private final InputStream pixelValue;

    DicomStream(DicomHeader header, InputStream pixelValue) {
        this.header = header;
        this.pixelValue = pixelValue;
    }

    public DicomHeader header() {
        return header;
    }

    /**
     * The bytes from the first byte of the pixel data value to the end of the data; for encapsulated
     * pixel data they start with the Basic Offset Table item. Only meaningful if the header has pixel data.
     */
    public InputStream pixelValue() {
        return pixelValue;
    }

    @Override
    public void close() throws IOException {
        pixelValue.close();
    }
}
