package dev.floe.types;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * RFC 3339 timestamps (any offset, up to nanoseconds) to instants at microsecond precision. A value
 * with non-zero digits below the microsecond is refused rather than silently truncated.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  /** Whether {@code text} is an RFC 3339 timestamp, at any precision. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} with the reason. */
  public static Instant parseMicros(String text) {
    return checkMicros(parse(text), text);
  }

  /**
   * {@code instant} if it has no digits below the microsecond; else the reason it cannot be cast.
   */
  public static Instant checkMicros(Instant instant, String text) {
    if (instant.getNano() % 1000 != 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has nanoseconds, and a timestamp column holds microseconds; keep the column"
              + " a string to preserve them");
    }
    return instant;
  }

  private static Instant parse(String text) {
    Instant fast = parseCanonical(text);
    return fast != null ? fast : parseAny(text);
  }

  /**
   * The layout nearly every producer writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM)}, read
   * without java.time's general formatter (a hot path: every event's time is parsed). Null for
   * anything else, including every invalid value: {@link #parseAny} then decides, so both paths
   * accept and refuse exactly the same texts.
   */
  static Instant parseCanonical(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    char sep = t.charAt(10);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        nanos = nanos * 10 + (t.charAt(i) - '0');
        i++;
      }
      int count = i - start;
      if (count == 0 || (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9')) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    long seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The non-negative number in {@code t[from, from + count)}, or -1 if not all digits. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static Instant parseAny(String text) {
    try {
      // RFC 3339 allows a lower-case 't' and 'z' and a space between date and time
      String t = text.trim().toUpperCase(Locale.ROOT);
      if (t.length() > 10 && t.charAt(10) == ' ') {
        t = t.substring(0, 10) + 'T' + t.substring(11);
      }
      return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an RFC 3339 timestamp (e.g. 2026-11-24T10:15:00.123456Z)");
    }
  }
}
