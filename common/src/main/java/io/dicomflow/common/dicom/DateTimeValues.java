package io.dicomflow.common.dicom;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;

/**
 * Parsing of DA, TM and DT values (PS3.5 6.2). Partial precision is allowed where the standard allows it
 * (TM "HH", "HHMM"; DT down to "YYYY"), missing parts taking their lowest value. The ACR-NEMA forms
 * "YYYY.MM.DD" and "HH:MM:SS" that old files still carry are accepted too. Invalid text gives null.
 */
final class DateTimeValues {
    private DateTimeValues() {
    }

    static LocalDate date(String text) {
        String t = text.strip().replace(".", "").replace("-", "");
        if (t.length() != 8 || !digits(t)) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(t.substring(0, 4)), Integer.parseInt(t.substring(4, 6)),
                    Integer.parseInt(t.substring(6, 8)));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    static LocalTime time(String text) {
        String t = text.strip().replace(":", "");
        int dot = t.indexOf('.');
        String main = dot < 0 ? t : t.substring(0, dot);
        String fraction = dot < 0 ? "" : t.substring(dot + 1);
        if (main.isEmpty() || main.length() % 2 != 0 || main.length() > 6 || !digits(main)
                || fraction.length() > 6 || !digits(fraction)) {
            return null;
        }
        try {
            int h = Integer.parseInt(main.substring(0, 2));
            int m = main.length() >= 4 ? Integer.parseInt(main.substring(2, 4)) : 0;
            int s = main.length() >= 6 ? Integer.parseInt(main.substring(4, 6)) : 0;
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000").substring(0, 6)) * 1000;
            return LocalTime.of(h, m, Math.min(s, 59), nanos); // 60 is allowed for leap seconds
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A LocalDateTime, or an OffsetDateTime when the value carries &amp;ZZXX. */
    static Temporal dateTime(String text) {
        String t = text.strip();
        ZoneOffset offset = null;
        int sign = Math.max(t.indexOf('+'), t.indexOf('-'));
        if (sign > 0) {
            String z = t.substring(sign);
            t = t.substring(0, sign);
            if (z.length() != 5 || !digits(z.substring(1))) {
                return null;
            }
            try {
                offset = ZoneOffset.ofHoursMinutes((z.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(z.substring(1, 3)),
                        (z.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(z.substring(3, 5)));
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        int dot = t.indexOf('.');
        String main = dot < 0 ? t : t.substring(0, dot);
        if (main.length() < 4 || !digits(main) || main.length() % 2 != 0 || main.length() > 14
                || (dot >= 0 && main.length() != 14)) {
            return null;
        }
        String date = (main + "0101").substring(0, 8);
        if (main.length() == 6) {
            date = main + "01";
        }
        LocalDate d = date(date);
        if (d == null) {
            return null;
        }
        LocalTime time = main.length() > 8 ? time(t.substring(8)) : LocalTime.MIDNIGHT;
        if (time == null) {
            return null;
        }
        LocalDateTime local = LocalDateTime.of(d, time);
        return offset == null ? local : OffsetDateTime.of(local, offset);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
