package io.dicomflow.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomflow.cli.CliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestedTagTest {

    /** The brief writes tags as {@code 0x0008, 0x0016}; PS3.6 as {@code (0008,0016)}; both mean SOP Class UID. */
    @ParameterizedTest
    @ValueSource(strings = {"0x0008, 0x0016", "0x0008,0x0016", "(0x0008, 0x0016)", "0X0008 , 0X0016", "(0008,0016)",
            "0008,0016", "00080016", " ( 0008,0016 ) ", "SOPClassUID"})
    void everyNotationOfOneTagGivesTheSameTag(String text) {
        RequestedTag tag = RequestedTag.parse(text);

        assertThat(tag.tag()).isEqualTo(0x00080016);
        assertThat(tag.keyword()).isEqualTo("SOPClassUID");
        assertThat(tag.label()).isEqualTo("SOPClassUID (0008,0016)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x0008 0x0016x", "(0008,0016", "0008,0016)", "0x08, 0x16", "0x0008;0x0016", "0x00080x",
            "SOPClassUid"})
    void malformedNumbersAndUnknownKeywordsAreInvalidInput(String text) {
        assertThatThrownBy(() -> RequestedTag.parse(text))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("is neither a DICOM keyword");
    }
}
