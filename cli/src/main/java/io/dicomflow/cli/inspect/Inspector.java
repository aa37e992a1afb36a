package io.dicomflow.cli.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.analysis.UnsupportedImageException;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.dictionary.DataDictionary;

/**
 * Reads a DICOM file's header, picks out the attributes {@code inspect} reports, and decodes the
 * pixels for their statistics. A header that cannot be parsed gives an {@link Inspection} with an
 * {@code error} and the attributes read before it; pixels that cannot be decoded give one with a
 * {@code pixelError}.
 */
public final class Inspector {

    /** Attributes always reported in {@code --json} when present, in this order. */
    static final List<String> ATTRIBUTES = List.of(
            "SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "PatientName", "PatientID",
            "StudyDate", "Modality", "Manufacturer", "SpecificCharacterSet", "Rows", "Columns", "NumberOfFrames",
            "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation", "PhotometricInterpretation",
            "SamplesPerPixel", "PlanarConfiguration", "RescaleSlope", "RescaleIntercept");

    private static final Map<String, String> PATIENT = labels(
            "PatientName", "Name",
            "PatientAge", "Age",
            "PatientBirthDate", "Birth date",
            "PatientSex", "Sex",
            "PatientWeight", "Weight (kg)",
            "PatientID", "Patient ID",
            "TypeOfPatientID", "Type of patient ID",
            "IssuerOfPatientID", "Issuer of patient ID");

    private static final Map<String, String> STUDY = labels(
            "Modality", "Modality",
            "StudyDate", "Study date",
            "StudyTime", "Study time",
            "StudyInstanceUID", "Study Instance UID",
            "SeriesNumber", "Series number",
            "NumberOfFrames", "Number of frames");

    private final DicomReader reader = DicomReader.create();
    private final ImageAnalyzer analyzer = ImageAnalyzer.create();

    /**
     * @param decodePixels false to report the header only (faster on large images)
     * @throws IOException when the file cannot be read at all (not a DICOM problem)
     */
    public Inspection inspect(Path file, List<RequestedTag> requested, boolean decodePixels) throws IOException {
        DicomHeader header;
        try {
            header = reader.readHeader(file);
        } catch (DicomParseException e) {
            // what was read before the error is shown with it, as dcmdump and pydicom do
            DicomHeader partial = e.partialHeader().orElse(null);
            if (partial == null) {
                return new Inspection(file.toString(), null, Map.of(), null, null, null, ParseError.of(e),
                        List.of(), List.of(), List.of(), List.of());
            }
            Map<String, Object> attributes = new LinkedHashMap<>();
            List<Inspection.RequestedValue> requestedValues = collect(partial, requested, attributes);
            // a transfer syntax the reader had to guess is not reported for a file it could not read
            String transferSyntax = partial.transferSyntaxInferred() ? null : partial.transferSyntaxUid();
            return new Inspection(file.toString(), transferSyntax, attributes, null, null, null, ParseError.of(e),
                    fields(partial, PATIENT), fields(partial, STUDY), requestedValues, partial.warnings());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Inspection.RequestedValue> requestedValues = collect(header, requested, attributes);

        StatsView pixelStats = null;
        StatsView rescaledStats = null;
        String pixelError = null;
        if (!decodePixels) {
            pixelError = "pixels not decoded (--no-pixels)";
        } else {
            try {
                ImageAnalysis analysis = analyzer.analyze(file);
                pixelStats = StatsView.of(analysis.stored());
                rescaledStats = analysis.rescaled().map(StatsView::of).orElse(null);
            } catch (UnsupportedImageException e) {
                pixelError = e.getMessage();
            } catch (DicomParseException e) {
                pixelError = e.getMessage();
            } catch (IOException | RuntimeException e) {
                // The header was fine; report the pixel problem and keep the attributes.
                pixelError = "pixel decoding failed: " + e;
            }
        }
        return new Inspection(file.toString(), header.transferSyntaxUid(), attributes, pixelStats, rescaledStats,
                pixelError, null, fields(header, PATIENT), fields(header, STUDY), requestedValues, header.warnings());
    }

    /** Puts the reported and requested attributes present into attributes; returns each requested tag's value. */
    private static List<Inspection.RequestedValue> collect(DicomHeader header, List<RequestedTag> requested,
                                                          Map<String, Object> attributes) {
        DataDictionary dictionary = DataDictionary.standard();
        for (String keyword : ATTRIBUTES) {
            AttributeValues.value(header, dictionary.tagOf(keyword)).ifPresent(v -> attributes.put(keyword, v));
        }
        List<Inspection.RequestedValue> requestedValues = new ArrayList<>();
        for (RequestedTag tag : requested) {
            Optional<Object> value = AttributeValues.value(header, tag.tag());
            value.ifPresent(v -> attributes.putIfAbsent(tag.key(), v));
            requestedValues.add(new Inspection.RequestedValue(tag, value));
        }
        return requestedValues;
    }

    private static List<Inspection.Field> fields(DicomHeader header, Map<String, String> labels) {
        DataDictionary dictionary = DataDictionary.standard();
        List<Inspection.Field> fields = new ArrayList<>();
        labels.forEach((keyword, label) ->
                fields.add(new Inspection.Field(label, AttributeValues.value(header, dictionary.tagOf(keyword)))));
        return fields;
    }

    private static Map<String, String> labels(String... keywordsAndLabels) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keywordsAndLabels.length; i += 2) {
            map.put(keywordsAndLabels[i], keywordsAndLabels[i + 1]);
        }
        return map;
    }
}
