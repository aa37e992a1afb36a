package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomStream;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;

/** Chooses the frame decoder for a file's transfer syntax. */
public final class PixelDecoders {
    private PixelDecoders() {
    }

    /**
     * A decoder reading the frames of an opened stream (positioned in front of the pixel data value).
     *
     * @throws UnsupportedPixelDataException no pixel data, inconsistent attributes, or a codec not supported here
     */
    public static FrameDecoder open(DicomStream stream)
            throws UnsupportedPixelDataException, DicomParseException, IOException {
        DicomHeader header = stream.header();
        ImagePixelModule module = ImagePixelModule.of(header);
        PixelDataInfo info = header.pixelData().orElseThrow();
        TransferSyntax ts = header.transferSyntax();
        if (!info.encapsulated()) {
            return new NativeFrameDecoder(module, new BufferedInputStream(stream.pixelValue(), 1 << 16), info,
                    ts.bigEndian());
        }
        if (EncapsulatedFrameDecoder.supports(ts.codec())) {
            return new EncapsulatedFrameDecoder(module, header, new BufferedInputStream(stream.pixelValue(), 1 << 16));
        }
        throw new UnsupportedPixelDataException("transfer syntax " + ts.uid() + " (" + ts.name()
                + ") is not decodable here");
    }
}
