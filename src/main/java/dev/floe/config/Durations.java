package dev.floe.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as pipelines write them: {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}, Spark's
 * {@code "20 seconds"} and {@code "1 minute"}, or ISO-8601 {@code PT5M}.
 */
public final class Durations {
  private static final Pattern AMOUNT =
      Pattern.compile(
          "(\\d+)\\s*(ms|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)");

  /** What an error message offers as the fix. */
  public static final String EXAMPLES = "e.g. 20s, \"20 seconds\", 5m, \"1 minute\", 1h or PT5M";

  private Durations() {}

  /** The duration {@code text} names; null when it names none. */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = AMOUNT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      if (unit.startsWith("ms") || unit.startsWith("milli")) {
        return Duration.ofMillis(n);
      }
      return switch (unit.charAt(0)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** As people read it: {@code 20 s}, {@code 1.5 s}, {@code 5 min}. */
  public static String describe(Duration d) {
    if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }
}
