package io.dicomflow.common.dicom;

import java.util.List;

/**
 * A PN value split per PS3.5 6.2.1: up to three component groups separated by {@code =} (alphabetic,
 * ideographic, phonetic), each with up to five components separated by {@code ^} (family name, given
 * name, middle name, prefix, suffix). Missing groups and components are empty strings.
 *
 * @param alphabetic  the single-byte (usually Latin) representation
 * @param ideographic the ideographic representation (e.g. kanji, hanja)
 * @param phonetic    the phonetic representation (e.g. hiragana, hangul)
 */
public record PersonName(Group alphabetic, Group ideographic, Group phonetic) {

    /** One component group. */
    public record Group(String familyName, String givenName, String middleName, String prefix, String suffix) {
        static final Group EMPTY = new Group("", "", "", "", "");

        static Group parse(String text) {
            String[] c = text.split("\\^", -1);
            return new Group(part(c, 0), part(c, 1), part(c, 2), part(c, 3), part(c, 4));
        }

        private static String part(String[] c, int i) {
            return i < c.length ? c[i].strip() : "";
        }

        public boolean isEmpty() {
            return familyName.isEmpty() && givenName.isEmpty() && middleName.isEmpty() && prefix.isEmpty()
                    && suffix.isEmpty();
        }
    }

    /** Parses one decoded PN value (one value of a possibly multi-valued element). */
    public static PersonName parse(String value) {
        String[] groups = value.split("=", -1);
        List<Group> parsed = java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> i < groups.length ? Group.parse(groups[i]) : Group.EMPTY).toList();
        return new PersonName(parsed.get(0), parsed.get(1), parsed.get(2));
    }
}
