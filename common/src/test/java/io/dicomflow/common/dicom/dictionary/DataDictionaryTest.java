package io.dicomflow.common.dicom.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.VR;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated dictionary is complete, consistent both ways, and agrees with PS3.6 on known attributes. */
class DataDictionaryTest {
    private final DataDictionary dictionary = DataDictionary.standard();

    @Test
    void holdsEveryLineOfTheGeneratedResource() throws Exception {
        long lines;
        try (InputStream in = DataDictionary.class.getResourceAsStream(DataDictionary.RESOURCE)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        }
        // dicom.dic of DCMTK 3.6.7 (PS3.6-2022b) has 4,996 active entries
        assertThat(lines).isEqualTo(4996);
        assertThat(dictionary.size()).isEqualTo(lines);
    }

    @Test
    void keywordAndTagLookupsAreInverse() {
        Set<String> keywords = new HashSet<>();
        for (DictionaryEntry e : dictionary.entries()) {
            assertThat(keywords.add(e.keyword())).as("unique keyword %s", e.keyword()).isTrue();
            assertThat(e.keyword()).matches("[A-Za-z][A-Za-z0-9]*");
            assertThat(dictionary.tagOf(e.keyword())).isEqualTo(e.tag());
            DictionaryEntry back = dictionary.lookup(e.tag());
            assertThat(back).as(e.keyword()).isNotNull();
            assertThat(back.tag()).isEqualTo(e.tag());
            assertThat(e.vm()).matches("\\d+(-(\\d+)?n?)?|\\d+-n|\\d+-\\d+n");
            assertThat(e.defaultVr()).isNotNull();
        }
    }

    @Test
    void knowsWellKnownAttributes() {
        assertThat(dictionary.entry("PatientName")).get()
                .extracting(DictionaryEntry::tag, DictionaryEntry::vrCode, DictionaryEntry::vm)
                .containsExactly(0x00100010, "PN", "1");
        assertThat(dictionary.entry(Tags.parse("(7FE0,0010)"))).get()
                .extracting(DictionaryEntry::keyword).isEqualTo("PixelData");
        assertThat(dictionary.entry("ImageType")).get().extracting(DictionaryEntry::vm).isEqualTo("2-n");
        assertThat(dictionary.entry("SmallestImagePixelValue")).get().extracting(DictionaryEntry::defaultVr)
                .isEqualTo(VR.US);
    }

    @Test
    void marksRetiredAttributesAndDropsDcmtkPrefix() {
        DictionaryEntry e = dictionary.lookup(0x00080040); // DataSetType, retired in PS3.6
        assertThat(e.retired()).isTrue();
        assertThat(e.keyword()).doesNotStartWith("RETIRED_");
        assertThat(dictionary.lookup(0x00100010).retired()).isFalse();
    }

    @Test
    void matchesRepeatingGroups() {
        assertThat(dictionary.lookup(0x60020010).keyword()).isEqualTo("OverlayRows");
        assertThat(dictionary.lookup(0x601E3000).keyword()).isEqualTo("OverlayData");
        assertThat(dictionary.lookup(0x60013000)).as("odd group is private, not an overlay").isNull();
        assertThat(dictionary.lookup(0x00290010).keyword()).isEqualTo("PrivateCreator");
    }

    @Test
    void unknownKeywordIsAnError() {
        assertThatThrownBy(() -> dictionary.tagOf("NoSuchKeyword")).isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.entry("NoSuchKeyword")).isEmpty();
    }
}
