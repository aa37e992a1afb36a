package io.dicomflow.cli.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvParserTest {

    private static List<List<String>> parse(String text) throws IOException {
        CsvParser parser = new CsvParser(new StringReader(text), ',', 100);
        List<List<String>> records = new ArrayList<>();
        List<String> record;
        while ((record = parser.nextRecord()) != null) {
            records.add(record);
        }
        return records;
    }

    @Test
    void quotedFieldsKeepDelimitersQuotesAndLineBreaks() throws IOException {
        assertThat(parse("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n"))
                .containsExactly(List.of("a,b", "say \"hi\"", "two\r\nlines"));
    }

    @Test
    void allLineEndingsAndEmptyFields() throws IOException {
        assertThat(parse("a,,c\r\n,\rx\n"))
                .containsExactly(List.of("a", "", "c"), List.of("", ""), List.of("x"));
    }

    @Test
    void byteOrderMarkIsDropped() throws IOException {
        assertThat(parse("\uFEFFid,v\n")).containsExactly(List.of("id", "v"));
    }

    @Test
    void lineNumbersCountLineBreaksInsideQuotes() throws IOException {
        CsvParser parser = new CsvParser(new StringReader("h\n\"1\n2\"\nlast\n"), ',', 100);
        parser.nextRecord();
        parser.nextRecord();
        assertThat(parser.recordLine()).isEqualTo(2);
        parser.nextRecord();
        assertThat(parser.recordLine()).isEqualTo(4);
    }

    @Test
    void overlongFieldFailsInsteadOfFillingMemory() {
        assertThatThrownBy(() -> parse("\"" + "x".repeat(200)))
                .isInstanceOf(CsvParser.CsvFormatException.class)
                .hasMessageContaining("longer than 100 characters");
    }
}
