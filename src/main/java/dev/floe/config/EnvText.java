package dev.floe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in a value. An unset (or, with a default,
 * empty) variable takes the default; an unset one without a default is reported as missing.
 */
public final class EnvText {
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  /** The expanded text, and the variables that were needed but not set. */
  public record Expanded(String text, List<String> missing) {}

  private EnvText() {}

  public static Expanded expand(String text, Function<String, String> env) {
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null || (value.isEmpty() && m.group(2) != null)) {
        value = m.group(3);
      }
      if (value == null) {
        missing.add(m.group(1));
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return new Expanded(out.toString(), missing);
  }

  /** The fix to print for a missing variable. */
  public static String missingMessage(String variable) {
    return "environment variable "
        + variable
        + " is not set; export it, or give a default: ${"
        + variable
        + ":-value}";
  }
}
