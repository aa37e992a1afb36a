package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomStream;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the frame decoder for a file's transfer syntax. Native data is read by
 * {@link NativeFrameDecoder}; encapsulated data by {@link EncapsulatedFrameDecoder} with the
 * {@link FrameCodec} registered for the syntax's codec in {@link #REGISTRY}, together with the
 * codestream markers that delimit its frames when no offset table says where they are.
 */
public final class PixelDecoders {
    /** A codec and how its frames are found among the fragments. */
    record Registration(FrameCodec codec, EncapsulatedFragments.Boundaries boundaries) {
    }

    /**
     * The registry: one line per codec family. A codec not listed here is reported as not decodable.
     * JPEG-LS (T.87) codestreams are delimited by SOI/EOI like the other JPEG processes.
     */
    private static final Map<TransferSyntax.Codec, Registration> REGISTRY = registry();

    private static Map<TransferSyntax.Codec, Registration> registry() {
        Map<TransferSyntax.Codec, Registration> r = new EnumMap<>(TransferSyntax.Codec.class);
        r.put(TransferSyntax.Codec.RLE, new Registration(RleFrameCodec::decodeOrFail,
                EncapsulatedFragments.Boundaries.ONE_FRAGMENT));
        FrameCodec jpeg = new JpegFrameCodec();
        r.put(TransferSyntax.Codec.JPEG_BASELINE, new Registration(jpeg, EncapsulatedFragments.Boundaries.JPEG));
        r.put(TransferSyntax.Codec.JPEG_EXTENDED, new Registration(jpeg, EncapsulatedFragments.Boundaries.JPEG));
        r.put(TransferSyntax.Codec.JPEG_LOSSLESS, new Registration(jpeg, EncapsulatedFragments.Boundaries.JPEG));
        r.put(TransferSyntax.Codec.JPEG_2000, new Registration(new ImageIoFrameCodec("jpeg2000"),
                EncapsulatedFragments.Boundaries.JPEG_2000));
        r.put(TransferSyntax.Codec.DEFLATE_FRAME, new Registration(new DeflateFrameCodec(),
                EncapsulatedFragments.Boundaries.ONE_FRAGMENT));
        // own code, bounded by the declared frame: no watchdog needed
        r.put(TransferSyntax.Codec.JPEG_LS, new Registration(JpegLsDecoder::decode,
                EncapsulatedFragments.Boundaries.JPEG));
        // own T.814/T.800 decoder, bounded by the declared frame like JPEG-LS; HTJ2K frames are J2K codestreams
        r.put(TransferSyntax.Codec.HTJ2K, new Registration(HtJ2kDecoder::decode,
                EncapsulatedFragments.Boundaries.JPEG_2000));
        return r;
    }

    private PixelDecoders() {
    }

    /** The registration for a codec family, if this toolkit decodes it. */
    static Optional<Registration> registration(TransferSyntax.Codec codec) {
        return Optional.ofNullable(REGISTRY.get(codec));
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
        Registration registration = REGISTRY.get(ts.codec());
        if (registration == null) {
            throw new UnsupportedPixelDataException("transfer syntax " + ts.uid() + " (" + ts.name()
                    + ") is not decodable here");
        }
        return new EncapsulatedFrameDecoder(module, header, new BufferedInputStream(stream.pixelValue(), 1 << 16),
                registration);
    }
}
