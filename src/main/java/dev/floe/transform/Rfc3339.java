package dev.floe.transform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * RFC 3339 timestamps (any offset, up to nanoseconds) to instants at microsecond precision. A
 * value with non-zero digits below the microsecond is refused rather than silently truncated.
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

  /** {@code instant} if it has no digits below the microsecond; else the reason it cannot be cast. */
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
