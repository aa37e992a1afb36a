package io.dicomflow.cli.inspect;

import io.dicomflow.cli.CliException;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;

/**
 * A tag asked for with {@code --tag}: a PS3.6 keyword ({@code PatientName}) or a tag number
 * ({@code 0010,0010}, {@code (0010,0010)} or {@code 00100010}).
 *
 * @param keyword the dictionary keyword, or {@code null} for a tag the dictionary does not know
 *                (private tags, for instance)
 */
public record RequestedTag(int tag, String keyword) {

    /** Parses an option value; an unknown keyword or malformed number is invalid input (exit 2). */
    public static RequestedTag parse(String text) {
        String value = text.strip();
        DataDictionary dictionary = DataDictionary.standard();
        if (value.matches("\\(?\\p{XDigit}{4},?\\p{XDigit}{4}\\)?")) {
            int tag = Tags.parse(value);
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
                        + "' is neither a DICOM keyword (e.g. PatientName) nor a tag (e.g. 0010,0010)"));
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
