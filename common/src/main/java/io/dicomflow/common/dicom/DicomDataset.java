package io.dicomflow.common.dicom;

import io.dicomflow.common.dicom.charset.SpecificCharacterSet;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A dataset (the top level or one sequence item): its elements in file order, with typed access to
 * values. Text is decoded with the Specific Character Set in force: the dataset's own (0008,0005), or
 * that of the enclosing dataset (PS3.5 7.5.3). Instances are immutable once the reader returns them.
 */
public final class DicomDataset {
    private final Map<Integer, DicomElement> elements = new LinkedHashMap<>();
    private final DicomDataset parent;
    private final boolean bigEndian;
    private SpecificCharacterSet characterSet;

    DicomDataset(DicomDataset parent, boolean bigEndian) {
        this.parent = parent;
        this.bigEndian = bigEndian;
    }

    void add(DicomElement element) {
        elements.put(element.tag(), element);
        if (element.tag() == Tags.SPECIFIC_CHARACTER_SET) {
            characterSet = SpecificCharacterSet.of(rawStrings(element));
        }
    }

    /** Whether numbers in this dataset's values are big endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** The character set text values are decoded with. */
    public SpecificCharacterSet characterSet() {
        if (characterSet != null) {
            return characterSet;
        }
        return parent == null ? SpecificCharacterSet.DEFAULT : parent.characterSet();
    }

    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Optional<DicomElement> element(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    /** The items of a sequence element; empty when absent or not a sequence. */
    public List<DicomDataset> items(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /**
     * The private creator owning a private data element (gggg,xxee): the value of (gggg,00xx), e.g.
     * "SIEMENS CSA HEADER" (PS3.5 7.8.1). Empty for public tags or when no creator is present.
     */
    public Optional<String> privateCreator(int tag) {
        if (!Tags.isPrivate(tag) || Tags.element(tag) < 0x1000) {
            return Optional.empty();
        }
        int creatorTag = (tag & 0xFFFF0000) | (Tags.element(tag) >>> 8);
        return string(creatorTag);
    }

    /** All values of an element as text: decoded strings, or numbers written in decimal for binary VRs. */
    public List<String> strings(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return List.of();
        }
        VR vr = effectiveVr(e);
        return switch (vr.kind()) {
            case TEXT, CHARSET_TEXT -> textValues(e, vr);
            case BINARY -> numberStrings(e, vr);
            default -> List.of();
        };
    }

    /** The values joined by a backslash, as they are encoded; empty when the element is absent. */
    public Optional<String> string(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return Optional.empty();
        }
        return Optional.of(String.join("\\", strings(tag)));
    }

    /** The first value as an int: binary integer VRs, or IS/DS text that is a whole number. */
    public OptionalInt integer(int tag) {
        OptionalLong v = longValue(tag);
        if (v.isEmpty() || v.getAsLong() < Integer.MIN_VALUE || v.getAsLong() > Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) v.getAsLong());
    }

    /** The first value as a long (UL, UV and SV included). */
    public OptionalLong longValue(int tag) {
        long[] all = longs(tag);
        return all.length == 0 ? OptionalLong.empty() : OptionalLong.of(all[0]);
    }

    /** All values as longs; text values that are not whole numbers are left out. */
    public long[] longs(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return new long[0];
        }
        VR vr = effectiveVr(e);
        if (vr.kind() == VR.Kind.BINARY || vr == VR.OL || vr == VR.OV || vr == VR.OW || vr == VR.OB) {
            if (vr == VR.FL || vr == VR.FD) {
                double[] d = BinaryValues.doubles(e.value(), vr, bigEndian);
                long[] out = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (long) d[i];
                }
                return out;
            }
            return BinaryValues.longs(e.value(), vr, bigEndian);
        }
        List<String> texts = textValues(e, vr);
        long[] out = new long[texts.size()];
        int n = 0;
        for (String t : texts) {
            Long parsed = NumberText.parseLong(t);
            if (parsed != null) {
                out[n++] = parsed;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The first value of a DA element as a date (also accepts the ACR-NEMA "YYYY.MM.DD"). */
    public Optional<java.time.LocalDate> date(int tag) {
        return strings(tag).stream().findFirst().map(DateTimeValues::date);
    }

    /** The first value of a TM element as a time (partial precision and fractions allowed). */
    public Optional<java.time.LocalTime> time(int tag) {
        return strings(tag).stream().findFirst().map(DateTimeValues::time);
    }

    /** The first value of a DT element: a LocalDateTime, or an OffsetDateTime when it has a UTC offset. */
    public Optional<java.time.temporal.Temporal> dateTime(int tag) {
        return strings(tag).stream().findFirst().map(DateTimeValues::dateTime);
    }

    /** Every value of a PN element split into component groups and components. */
    public List<PersonName> personNames(int tag) {
        return strings(tag).stream().map(PersonName::parse).toList();
    }

    /** The first value as a double: FL/FD, integer VRs, or DS/IS text. */
    public OptionalDouble decimal(int tag) {
        double[] all = doubles(tag);
        return all.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(all[0]);
    }

    public double[] doubles(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return new double[0];
        }
        VR vr = effectiveVr(e);
        if (vr == VR.FL || vr == VR.FD || vr == VR.OF || vr == VR.OD) {
            return BinaryValues.doubles(e.value(), vr, bigEndian);
        }
        if (vr.kind() == VR.Kind.BINARY) {
            long[] l = BinaryValues.longs(e.value(), vr, bigEndian);
            double[] out = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = l[i];
            }
            return out;
        }
        List<String> texts = textValues(e, vr);
        double[] out = new double[texts.size()];
        int n = 0;
        for (String t : texts) {
            Double parsed = NumberText.parseDouble(t);
            if (parsed != null) {
                out[n++] = parsed;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The VR values are interpreted with: the element's own, except UN, which is read with the
     * dictionary VR when the dictionary knows the tag (PS3.5 6.2.2: UN hides a known VR).
     */
    VR effectiveVr(DicomElement e) {
        if (e.vr() != VR.UN) {
            return e.vr();
        }
        DictionaryEntry entry = DataDictionary.standard().lookup(e.tag());
        if (entry == null) {
            return Tags.isPrivateCreator(e.tag()) ? VR.LO : VR.UN;
        }
        VR vr = entry.defaultVr();
        return vr == VR.SQ ? VR.UN : vr;
    }

    private List<String> rawStrings(DicomElement e) {
        if (e.value() == null) {
            return List.of();
        }
        return textValues(e, VR.CS);
    }

    /** Splits and trims text values the way PS3.5 6.2 defines padding for each VR. */
    private List<String> textValues(DicomElement e, VR vr) {
        byte[] v = e.value();
        String text;
        if (vr.kind() == VR.Kind.CHARSET_TEXT) {
            String delimiters = vr == VR.PN ? "\\^=" : (isSingleValued(vr) ? "\r\n\t\f" : "\\");
            text = characterSet().decode(v, 0, v.length, delimiters);
        } else {
            text = new String(v, StandardCharsets.ISO_8859_1);
        }
        if (isSingleValued(vr)) {
            return List.of(trimTrailing(text, vr));
        }
        List<String> out = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\\') {
                String value = trim(text.substring(start, i), vr);
                out.add(vr == VR.PN ? withoutTrailingEmptyGroups(value) : value);
                start = i + 1;
            }
        }
        return out;
    }

    /** "A^B=C^D=" → "A^B=C^D": trailing empty component groups carry nothing (PS3.5 6.2.1.1). */
    private static String withoutTrailingEmptyGroups(String name) {
        int end = name.length();
        while (end > 0 && name.charAt(end - 1) == '=') {
            end--;
        }
        return name.substring(0, end);
    }

    private static boolean isSingleValued(VR vr) {
        return vr == VR.LT || vr == VR.ST || vr == VR.UT || vr == VR.UR;
    }

    /** Leading spaces are significant only in LT/ST/UT/UR/UC text (PS3.5 6.2); trailing padding never is. */
    private static String trim(String s, VR vr) {
        String t = trimTrailing(s, vr);
        if (vr == VR.UC || vr == VR.LO || vr == VR.SH || vr == VR.PN) {
            return t;
        }
        int i = 0;
        while (i < t.length() && t.charAt(i) == ' ') {
            i++;
        }
        return t.substring(i);
    }

    private static String trimTrailing(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    private List<String> numberStrings(DicomElement e, VR vr) {
        List<String> out = new ArrayList<>();
        if (vr == VR.FL || vr == VR.FD) {
            for (double d : BinaryValues.doubles(e.value(), vr, bigEndian)) {
                out.add(vr == VR.FL ? Float.toString((float) d) : Double.toString(d));
            }
        } else if (vr == VR.AT) {
            for (long l : BinaryValues.longs(e.value(), vr, bigEndian)) {
                out.add(Tags.format((int) l));
            }
        } else {
            for (long l : BinaryValues.longs(e.value(), vr, bigEndian)) {
                out.add(vr == VR.UV ? Long.toUnsignedString(l) : Long.toString(l));
            }
        }
        return out;
    }
}
