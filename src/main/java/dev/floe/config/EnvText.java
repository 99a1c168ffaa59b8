package dev.floe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in a value. An unset (or, with a default,
 * empty) variable takes the default; an unset one without a default is reported as missing. {@code
 * ${file:/run/secrets/x}} takes the content of a file, without its last line break: how container
 * platforms hand out secrets, kept out of the environment and the command line.
 */
public final class EnvText {
  private static final String FILE = "file:";
  private static final Pattern ENV =
      Pattern.compile("\\$\\{(?:" + FILE + "([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?)}");

  /** The expanded text, and the variables that were needed but not set. */
  public record Expanded(String text, List<String> missing) {}

  private EnvText() {}

  public static Expanded expand(String text, Function<String, String> env) {
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      String value;
      if (m.group(1) != null) {
        value = fileContent(m.group(1));
        if (value == null) {
          missing.add(FILE + m.group(1));
          value = "";
        }
      } else {
        value = env.apply(m.group(2));
        if (value == null || (value.isEmpty() && m.group(3) != null)) {
          value = m.group(4);
        }
        if (value == null) {
          missing.add(m.group(2));
          value = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return new Expanded(out.toString(), missing);
  }

  private static String fileContent(String path) {
    try {
      return Files.readString(Path.of(path)).replaceFirst("\\r?\\n$", "");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The fix to print for a missing variable or an unreadable file. */
  public static String missingMessage(String variable) {
    if (variable.startsWith(FILE)) {
      return "the file "
          + variable.substring(FILE.length())
          + " cannot be read; create it, make it readable by this user or fix the path in ${"
          + variable
          + "}";
    }
    return "environment variable "
        + variable
        + " is not set; export it, or give a default: ${"
        + variable
        + ":-value}";
  }
}
