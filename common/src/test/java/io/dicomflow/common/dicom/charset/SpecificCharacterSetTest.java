package io.dicomflow.common.dicom.charset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples of PS3.5 annexes H-K and single-byte sets. */
class SpecificCharacterSetTest {
    private static String decode(List<String> terms, byte[] bytes, String delimiters) {
        return SpecificCharacterSet.of(terms).decode(bytes, 0, bytes.length, delimiters);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void latin1AndCyrillic() {
        assertThat(decode(List.of("ISO_IR 100"), "Buc^J\u00e9r\u00f4me".getBytes(Charset.forName("ISO-8859-1")), "\\^="))
                .isEqualTo("Buc^J\u00e9r\u00f4me");
        assertThat(decode(List.of("ISO_IR 144"), "\u041b\u044e\u043a\u0441\u0435\u043c\u0431\u0443\u0440\u0433"
                .getBytes(Charset.forName("ISO-8859-5")), "\\")).isEqualTo("\u041b\u044e\u043a\u0441\u0435\u043c\u0431\u0443\u0440\u0433");
    }

    @Test
    void utf8AndGb18030() {
        assertThat(decode(List.of("ISO_IR 192"), "Wang^XiaoDong=\u738b^\u5c0f\u6771".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "\\^=")).isEqualTo("Wang^XiaoDong=\u738b^\u5c0f\u6771");
        assertThat(decode(List.of("GB18030"), "\u738b\u5c0f\u4e1c".getBytes(Charset.forName("GB18030")), "\\"))
                .isEqualTo("\u738b\u5c0f\u4e1c");
    }

    @Test
    void japaneseIso2022Ir87WithEscapesPerComponentGroup() {
        // PS3.5 H.3.1 example: Yamada^Tarou=ESC$B;3ED-ESC(B^ESC$BB@O:ESC(B=ESC$B$d$^$@ESC(B^ESC$B$?$m$&ESC(B
        String raw = "Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B=\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B";
        byte[] b = raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(decode(List.of("", "ISO 2022 IR 87"), b, "\\^="))
                .isEqualTo("Yamada^Tarou=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046");
    }

    @Test
    void koreanIso2022Ir149InG1() {
        // PS3.5 I.2 example: Hong^Gildong=ESC$)C\373\363^ESC$)C\321\316\324\327=...
        byte[] b = bytes('H', 'o', 'n', 'g', '^', 'G', 'i', 'l', 'd', 'o', 'n', 'g', '=',
                0x1b, '$', ')', 'C', 0xfb, 0xf3, '^', 0x1b, '$', ')', 'C', 0xd1, 0xce, 0xd4, 0xd7);
        assertThat(decode(List.of("", "ISO 2022 IR 149"), b, "\\^="))
                .isEqualTo("Hong^Gildong=\u6d2a^\u5409\u6d1e");
    }

    @Test
    void japaneseKatakanaIr13InG1() {
        byte[] b = bytes(0xd4, 0xcf, 0xc0, 0xde, '^', 0xc0, 0xdb, 0xb3);
        assertThat(decode(List.of("ISO 2022 IR 13", "ISO 2022 IR 87"), b, "\\^="))
                .isEqualTo("\uff94\uff8f\uff80\uff9e^\uff80\uff9b\uff73");
    }

    @Test
    void unknownTermFallsBackToLatin1() {
        assertThat(decode(List.of("ISO_IR 999"), bytes('A', 0xe9), "\\")).isEqualTo("A\u00e9");
        assertThat(SpecificCharacterSet.of(List.of()).isDefault()).isTrue();
    }
}
