package dev.floe.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A position in a pipeline's YAML tree: its key path ({@code steps[0].sequence[1].sql}), its line,
 * and typed reads that record a problem, never throw, when the value has the wrong shape.
 */
final class Cursor {
  private final Problems problems;
  private final Function<String, String> env;
  final String path;
  final Node node;
  private final int keyLine;

  Cursor(Problems problems, Function<String, String> env, String path, Node node) {
    this(problems, env, path, node, 0);
  }

  private Cursor(
      Problems problems, Function<String, String> env, String path, Node node, int keyLine) {
    this.problems = problems;
    this.env = env;
    this.path = path;
    this.node = node;
    this.keyLine = keyLine;
  }

  /** The 1-based line of this value; 0 when it came from {@code --set}. */
  int line() {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  void error(String message) {
    problems.error(keyLine(), path, message);
  }

  void problemAt(int line, String at, String message) {
    problems.error(line, at, message);
  }

  void warn(String message) {
    problems.warn(keyLine(), path, message);
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The keys of a mapping, in file order, each as a cursor; empty (with an error) otherwise. */
  Map<String, Cursor> entries() {
    Map<String, Cursor> out = new LinkedHashMap<>();
    if (!(node instanceof MappingNode map)) {
      error("expected a mapping of keys to values, found " + describe(node));
      return out;
    }
    for (NodeTuple t : map.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t);
      Node k = t.getKeyNode();
      int keyAt = k.getStartMark() == null ? 0 : k.getStartMark().getLine() + 1;
      Cursor value = new Cursor(problems, env, child(key), t.getValueNode(), keyAt);
      if (out.containsKey(key)) {
        problems.error(
            value.keyLine(),
            value.path,
            "appears twice (also at line " + out.get(key).keyLine() + "); keep one");
      }
      out.put(key, value);
    }
    return out;
  }

  /** Rejects keys other than the allowed ones, suggesting the nearest allowed key. */
  Map<String, Cursor> fields(String... allowed) {
    Map<String, Cursor> entries = entries();
    List<String> allowedKeys = Arrays.asList(allowed);
    for (Map.Entry<String, Cursor> e : entries.entrySet()) {
      if (!allowedKeys.contains(e.getKey())) {
        String near = nearest(e.getKey(), allowedKeys);
        String hint = near == null ? "" : "did you mean '" + near + "'? ";
        problems.error(
            e.getValue().keyLine(),
            e.getValue().path,
            "unknown key; " + hint + "allowed keys here: " + String.join(", ", allowedKeys));
      }
    }
    return entries;
  }

  /** The line of the key this value belongs to (values of mappings start on the next line). */
  int keyLine() {
    return keyLine > 0 ? keyLine : line();
  }

  static String nearest(String key, List<String> candidates) {
    LevenshteinDistance distance = new LevenshteinDistance(3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance.apply(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d >= 0 && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** The elements of a sequence; empty (with an error) otherwise. */
  List<Cursor> elements() {
    List<Cursor> out = new ArrayList<>();
    if (!(node instanceof SequenceNode seq)) {
      String hint =
          node instanceof MappingNode ? " (perhaps a missing dash '-' before the item?)" : "";
      error("expected a list, found " + describe(node) + hint);
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(new Cursor(problems, env, path + "[" + i + "]", seq.getValue().get(i)));
    }
    return out;
  }

  /** The scalar's text with {@code ${VAR}} and {@code ${VAR:-default}} replaced; null if absent. */
  String text() {
    if (!(node instanceof ScalarNode s)) {
      error("expected a single value, found " + describe(node));
      return null;
    }
    EnvText.Expanded expanded = EnvText.expand(s.getValue(), env);
    expanded.missing().forEach(v -> error(EnvText.missingMessage(v)));
    // null: the value is unknown, and the missing variable is the one error to report
    return expanded.missing().isEmpty() ? expanded.text() : null;
  }

  boolean bool() {
    String t = text();
    if ("true".equalsIgnoreCase(t)) {
      return true;
    }
    if (!"false".equalsIgnoreCase(t) && t != null) {
      error("'" + t + "' is not a boolean; write true or false");
    }
    return false;
  }

  Long positiveLong() {
    String t = text();
    try {
      long v = Long.parseLong(t.replace("_", ""));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // reported below
    }
    error("'" + t + "' is not a positive whole number");
    return null;
  }

  /** A duration ({@link Durations}): {@code 90s}, {@code "20 seconds"}, {@code PT5M}. */
  Duration duration() {
    String t = text();
    if (t == null) {
      return null;
    }
    Duration d = Durations.parse(t);
    if (d == null || d.isNegative() || d.isZero()) {
      error("'" + t + "' is not a duration; write " + Durations.EXAMPLES);
      return null;
    }
    return d;
  }

  /** A mapping of keys to scalar values, e.g. table properties. */
  Map<String, String> stringMap() {
    return entries().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> {
                  String t = e.getValue().text();
                  return t == null ? "" : t;
                },
                (a, b) -> b,
                LinkedHashMap::new));
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  /** The text of required key {@code key}; an error naming the {@code fix} when it is missing. */
  static String required(Cursor parent, Map<String, Cursor> f, String key, String fix) {
    if (!f.containsKey(key)) {
      parent.error("missing required key '" + key + "': " + fix);
      return null;
    }
    String t = f.get(key).text();
    if (t != null && t.isBlank()) {
      f.get(key).error("must not be empty: " + fix);
      return null;
    }
    return t;
  }

  /** A namespace or table name: letters, digits, {@code _}, {@code -} and single dots. */
  private static final java.util.regex.Pattern IDENTIFIER =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_][A-Za-z0-9_-]*)*");

  /**
   * The text of required key {@code key}, which names a namespace or table. Catalogs such as the
   * Hadoop catalog make folders of them, so a name with a path separator, {@code ..} or a control
   * character would write outside the warehouse: it is an error.
   */
  static String identifier(Cursor parent, Map<String, Cursor> f, String key, String fix) {
    String t = required(parent, f, key, fix);
    if (t != null && !IDENTIFIER.matcher(t).matches()) {
      f.get(key)
          .error(
              "'"
                  + t.replaceAll("\\p{Cntrl}", "?")
                  + "' is not a name Floe uses for tables: use letters, digits, _ and - (dots"
                  + " between parts), e.g. "
                  + fix.replaceFirst(".*e\\.g\\. ", ""));
      return null;
    }
    return t;
  }

  /** The text of optional key {@code key}, or {@code fallback}. */
  static String optional(Map<String, Cursor> f, String key, String fallback) {
    if (!f.containsKey(key)) {
      return fallback;
    }
    String t = f.get(key).text();
    return t == null || t.isBlank() ? fallback : t;
  }

  /** A column type such as {@code timestamp} or {@code array<string>}; null with an error. */
  static FieldType fieldType(Cursor c) {
    String t = c.text();
    FieldType type = t == null ? null : FieldType.parse(t).orElse(null);
    if (type == null && t != null) {
      c.error("'" + t + "' is not a type; use one of " + FieldType.KNOWN);
    }
    return type;
  }
}
