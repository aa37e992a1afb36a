package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomParseException;
import java.io.IOException;

/** Produces the frames of an image one after another, so memory stays at one frame. */
public interface FrameDecoder {
    ImagePixelModule module();

    /** The next frame, or null after the last one. */
    Frame next() throws IOException, DicomParseException, UnsupportedPixelDataException;
}
