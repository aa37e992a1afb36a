package io.dicomflow.cli.inspect;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dicomflow.common.dicom.DicomDataset;
import io.dicomflow.common.dicom.DicomElement;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.VR;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;

/**
 * Turns an attribute of a parsed header into its JSON value, as {@code inspect --json} documents it:
 * text as decoded text ({@code PN} in its DICOM form, {@code Doe^John}); IS, DS and binary numbers
 * as JSON numbers; several values as an array; a present but empty attribute as {@code ""}.
 * Sequences and opaque (OB/OW/UN...) values are described in words, their bytes are not dumped.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    /** The attribute's value, or empty when the file does not have it at the top level. */
    static Optional<Object> value(DicomHeader header, int tag) {
        if (Tags.isPixelData(tag)) {
            // The reader stops in front of the pixel data value, so it is not in the dataset.
            return header.pixelData().filter(info -> info.tag() == tag)
                    .map(info -> (Object) ((info.encapsulated() ? "encapsulated pixel data" : "pixel data of "
                            + info.length() + " bytes") + " (see the pixel statistics)"));
        }
        DicomDataset dataset = Tags.group(tag) == 0x0002 ? header.fileMeta() : header.dataset();
        return dataset.element(tag).map(element -> value(dataset, element));
    }

    static Object value(DicomDataset dataset, DicomElement element) {
        VR vr = vrOf(element);
        if (element.isSequence()) {
            int items = element.items().size();
            return "sequence of " + items + (items == 1 ? " item" : " items");
        }
        if (element.isBulk()) {
            return "value of " + element.length() + " bytes (not read)";
        }
        if (element.value() == null || element.value().length == 0) {
            return "";
        }
        int tag = element.tag();
        List<Object> values = new ArrayList<>();
        switch (vr.kind()) {
            case TEXT, CHARSET_TEXT -> {
                for (String text : dataset.strings(tag)) {
                    values.add(vr == VR.IS || vr == VR.DS ? number(text) : text);
                }
            }
            case BINARY -> {
                if (vr == VR.AT) {
                    for (long value : dataset.longs(tag)) {
                        values.add(Tags.format((int) value));
                    }
                } else if (vr == VR.FL || vr == VR.FD) {
                    for (double value : dataset.doubles(tag)) {
                        values.add(value);
                    }
                } else {
                    for (long value : dataset.longs(tag)) {
                        values.add(value);
                    }
                }
            }
            default -> {
                return vr + " value of " + element.value().length + " bytes";
            }
        }
        if (values.isEmpty()) {
            return "";
        }
        return values.size() == 1 ? values.get(0) : List.copyOf(values);
    }

    /** The VR from the file, or from the dictionary when the file did not say (implicit VR, UN). */
    private static VR vrOf(DicomElement element) {
        if (element.vr() != VR.UN) {
            return element.vr();
        }
        return DataDictionary.standard().entry(element.tag()).map(DictionaryEntry::defaultVr).orElse(VR.UN);
    }

    /** IS/DS text as a number (integers stay integers); text that is no number is kept as text. */
    private static Object number(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        try {
            BigDecimal decimal = new BigDecimal(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
            if (decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                    && !trimmed.contains(".") && !trimmed.toLowerCase().contains("e")) {
                return decimal.longValueExact();
            }
            return decimal.doubleValue();
        } catch (NumberFormatException | ArithmeticException e) {
            return text;
        }
    }

    /** Text form of a JSON value: arrays joined with a backslash, as DICOM writes them. */
    static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join("\\", list.stream().map(AttributeValues::text).toList());
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
