package io.dicomflow.cli.inspect;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code inspect} found in one file. The {@code --json} document is made of the first
 * seven fields; the text output also uses the labelled records.
 *
 * @param file              the path as given
 * @param transferSyntaxUid {@code null} when the header could not be read before the Transfer Syntax UID
 * @param attributes        the reported attributes by keyword (see {@link Inspector#ATTRIBUTES}) plus the
 *                          requested tags that are present; insertion-ordered
 * @param pixelStats        stored-value statistics, {@code null} when the pixels were not decoded
 * @param rescaledStats     statistics in modality units (Rescale Slope/Intercept), when there is a rescale
 * @param pixelError        why pixels were not decoded, {@code null} when they were
 * @param error             why the file is not readable DICOM, {@code null} when its header was read; the
 *                          other fields then hold what was read before the error
 * @param patient           the patient record (label, value or empty)
 * @param study             the study record
 * @param requested         each {@code --tag} and its value, empty when not present
 * @param warnings          anomalies the reader tolerated (they hold no attribute values)
 */
public record Inspection(String file, String transferSyntaxUid, Map<String, Object> attributes, StatsView pixelStats,
                         StatsView rescaledStats, String pixelError, ParseError error,
                         List<Field> patient, List<Field> study, List<RequestedValue> requested,
                         List<String> warnings) {

    /** A labelled value of the text output. */
    public record Field(String label, Optional<Object> value) {
    }

    public record RequestedValue(RequestedTag tag, Optional<Object> value) {
    }

    public boolean readable() {
        return error == null;
    }

    /** Whether anything was read: a header, or attributes before an error. */
    public boolean hasContent() {
        return readable() || !attributes.isEmpty() || transferSyntaxUid != null
                || patient.stream().anyMatch(field -> field.value().isPresent())
                || study.stream().anyMatch(field -> field.value().isPresent());
    }
}
