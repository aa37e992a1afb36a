package io.dicomflow.common.dicom;

/** Lenient parsing of IS and DS text values (PS3.5 6.2): surrounding spaces allowed, bad text gives null. */
final class NumberText {
    private NumberText() {
    }

    static Long parseLong(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            Double d = parseDouble(t);
            if (d != null && d == Math.rint(d) && Math.abs(d) < 9.0e18) {
                return d.longValue();
            }
            return null;
        }
    }

    static Double parseDouble(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') {
                return null; // rejects "NaN", "Infinity", hex floats: not DS syntax
            }
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
