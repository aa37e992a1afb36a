package io.dicomflow.cli.inspect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dicomflow.cli.CliException;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;

/**
 * A tag asked for with {@code --tag}: a PS3.6 keyword ({@code PatientName}) or a tag number
 * ({@code 0010,0010}, {@code (0010,0010)}, {@code 00100010}, or the brief's notation {@code 0x0010, 0x0010},
 * also in parentheses).
 *
 * @param keyword the dictionary keyword, or {@code null} for a tag the dictionary does not know
 *                (private tags, for instance)
 */
public record RequestedTag(int tag, String keyword) {

    /**
     * A tag number: optional parentheses around a group and an element of four hex digits each, either
     * with an optional {@code 0x} prefix, separated by a comma (spaces allowed around it) or by nothing.
     * This covers PS3.6's {@code (0008,0016)}, the brief's {@code 0x0008, 0x0016} and {@code 00080016}.
     */
    private static final Pattern TAG_NUMBER = Pattern.compile(
            "\\(?\\s*(?:0[xX])?(\\p{XDigit}{4})\\s*(?:,\\s*)?(?:0[xX])?(\\p{XDigit}{4})\\s*\\)?");

    /** Parses an option value; an unknown keyword or malformed number is invalid input (exit 2). */
    public static RequestedTag parse(String text) {
        String value = text.strip();
        DataDictionary dictionary = DataDictionary.standard();
        Matcher number = TAG_NUMBER.matcher(value);
        if (number.matches() && value.startsWith("(") == value.endsWith(")")) {
            int tag = Tags.parse(number.group(1) + number.group(2));
            if (Tags.isPrivate(tag)) {
                // Private tags have no public meaning; the dictionary's generic "PrivateCreator"
                // keyword would only make different tags look alike.
                return new RequestedTag(tag, null);
            }
            return new RequestedTag(tag, dictionary.entry(tag).map(DictionaryEntry::keyword)
                    .filter(keyword -> !keyword.isEmpty()).orElse(null));
        }
        return dictionary.entry(value)
                .map(entry -> new RequestedTag(entry.tag(), entry.keyword()))
                .orElseThrow(() -> CliException.invalidInput("--tag: '" + text
                        + "' is neither a DICOM keyword (e.g. PatientName) nor a tag (e.g. 0010,0010 or 0x0010, 0x0010)"));
    }

    /** The key used in JSON attributes: the keyword, or {@code (gggg,eeee)} for unknown tags. */
    public String key() {
        return keyword != null ? keyword : Tags.format(tag);
    }

    /** How the tag is shown in text: {@code PatientName (0010,0010)}. */
    public String label() {
        return keyword != null ? keyword + " " + Tags.format(tag) : Tags.format(tag);
    }
}
