package io.dicomflow.common.dicom.dictionary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DICOM data dictionary (PS3.6), loaded once from the resource generated from DCMTK's dicom.dic
 * by {@code common/src/build/generate-dictionary.py}. Lookups by tag and by keyword; repeating-group
 * ranges (overlays, curves, private creators) are matched after exact tags.
 */
public final class DataDictionary {
    static final String RESOURCE = "/io/dicomflow/common/dicom/dictionary/dictionary.tsv";

    private static final DataDictionary STANDARD = load();

    private final Map<Integer, DictionaryEntry> byTag;
    private final Map<String, DictionaryEntry> byKeyword;
    private final List<RangeEntry> ranges;

    /** A dictionary line whose group and/or element is a range, e.g. (6000-60FF,3000). */
    private record RangeEntry(int groupLo, int groupHi, char groupParity, int elementLo, int elementHi,
                              char elementParity, DictionaryEntry entry) {
        boolean matches(int group, int element) {
            return within(group, groupLo, groupHi, groupParity) && within(element, elementLo, elementHi, elementParity);
        }

        private static boolean within(int v, int lo, int hi, char parity) {
            if (v < lo || v > hi) {
                return false;
            }
            return switch (parity) {
                case 'e' -> ((v - lo) & 1) == 0;
                case 'o' -> (v & 1) == 1;
                default -> true;
            };
        }
    }

    private DataDictionary(Map<Integer, DictionaryEntry> byTag, Map<String, DictionaryEntry> byKeyword,
                           List<RangeEntry> ranges) {
        this.byTag = byTag;
        this.byKeyword = byKeyword;
        this.ranges = ranges;
    }

    /** The standard dictionary (shared, immutable). */
    public static DataDictionary standard() {
        return STANDARD;
    }

    /** The entry for a tag, looking at exact tags first, then repeating ranges. */
    public Optional<DictionaryEntry> entry(int tag) {
        return Optional.ofNullable(lookup(tag));
    }

    /** Like {@link #entry(int)} but null when unknown (for the parser's hot path). */
    public DictionaryEntry lookup(int tag) {
        DictionaryEntry e = byTag.get(tag);
        if (e != null) {
            return e;
        }
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        for (RangeEntry r : ranges) {
            if (r.matches(group, element)) {
                return r.entry;
            }
        }
        return null;
    }

    /** The entry of a PS3.6 keyword (case-sensitive, e.g. {@code PatientName}). */
    public Optional<DictionaryEntry> entry(String keyword) {
        return Optional.ofNullable(byKeyword.get(keyword));
    }

    /** The tag of a keyword; IllegalArgumentException if the keyword is unknown. */
    public int tagOf(String keyword) {
        DictionaryEntry e = byKeyword.get(keyword);
        if (e == null) {
            throw new IllegalArgumentException("unknown DICOM keyword: " + keyword);
        }
        return e.tag();
    }

    /** All entries, exact tags and ranges. */
    public Collection<DictionaryEntry> entries() {
        return Collections.unmodifiableCollection(byKeyword.values());
    }

    public int size() {
        return byKeyword.size();
    }

    private static DataDictionary load() {
        try (InputStream in = DataDictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing DICOM dictionary resource " + RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DataDictionary parse(InputStream in) throws IOException {
        Map<Integer, DictionaryEntry> byTag = new HashMap<>(8192);
        Map<String, DictionaryEntry> byKeyword = new HashMap<>(8192);
        List<RangeEntry> ranges = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7) {
                throw new IllegalStateException("bad dictionary line: " + line);
            }
            int[] g = range(f[0]);
            int[] el = range(f[1]);
            DictionaryEntry entry = new DictionaryEntry(g[0] << 16 | el[0], f[2], f[3], f[4], "1".equals(f[5]), f[6]);
            byKeyword.put(entry.keyword(), entry);
            if (g[0] == g[1] && el[0] == el[1]) {
                byTag.put(entry.tag(), entry);
            } else {
                ranges.add(new RangeEntry(g[0], g[1], (char) g[2], el[0], el[1], (char) el[2], entry));
            }
        }
        // Narrow ranges first so that e.g. (0009-FFFF/o,0000) group lengths do not hide specific entries.
        ranges.sort((a, b) -> Long.compare(span(a), span(b)));
        return new DataDictionary(Map.copyOf(byTag), Map.copyOf(byKeyword), List.copyOf(ranges));
    }

    private static long span(RangeEntry r) {
        return (long) (r.groupHi - r.groupLo + 1) * (r.elementHi - r.elementLo + 1);
    }

    /** "6000-60FF/e" → {0x6000, 0x60FF, 'e'}; "0010" → {0x10, 0x10, 'u'}. */
    private static int[] range(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            int v = Integer.parseInt(text, 16);
            return new int[] {v, v, 'u'};
        }
        int dash = text.indexOf('-');
        return new int[] {Integer.parseInt(text.substring(0, dash), 16),
            Integer.parseInt(text.substring(dash + 1, slash), 16), text.charAt(slash + 1)};
    }
}
