package dev.floe.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A column type as written in a pipeline: {@code string}, {@code int}, {@code timestamp}, {@code
 * array<string>}, ... {@code timestamp} is a timestamp with time zone (Iceberg {@code timestamptz},
 * microseconds); {@code timestamp_ntz} one without.
 */
public record FieldType(Kind kind, FieldType element) implements java.io.Serializable {

  /** The scalar kinds, and {@code ARRAY} whose element type is {@link #element()}. */
  public enum Kind {
    STRING,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    BOOLEAN,
    BYTES,
    DATE,
    TIMESTAMP,
    TIMESTAMP_NTZ,
    ARRAY
  }

  /** What users write, including the common SQL spellings. */
  private static final Map<String, Kind> NAMES =
      Map.ofEntries(
          Map.entry("string", Kind.STRING),
          Map.entry("varchar", Kind.STRING),
          Map.entry("int", Kind.INT),
          Map.entry("integer", Kind.INT),
          Map.entry("long", Kind.LONG),
          Map.entry("bigint", Kind.LONG),
          Map.entry("float", Kind.FLOAT),
          Map.entry("double", Kind.DOUBLE),
          Map.entry("boolean", Kind.BOOLEAN),
          Map.entry("bytes", Kind.BYTES),
          Map.entry("binary", Kind.BYTES),
          Map.entry("date", Kind.DATE),
          Map.entry("timestamp", Kind.TIMESTAMP),
          Map.entry("timestamptz", Kind.TIMESTAMP),
          Map.entry("timestamp_ntz", Kind.TIMESTAMP_NTZ));

  public static final String KNOWN =
      "string, int, long, float, double, boolean, bytes, date, timestamp, timestamp_ntz,"
          + " array<type>";

  public static FieldType of(Kind kind) {
    return new FieldType(kind, null);
  }

  /** Parses a type name; empty when the text names no type. */
  public static Optional<FieldType> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("array<") && t.endsWith(">")) {
      return parse(t.substring(6, t.length() - 1))
          .filter(e -> e.kind != Kind.ARRAY)
          .map(e -> new FieldType(Kind.ARRAY, e));
    }
    return Optional.ofNullable(NAMES.get(t)).map(FieldType::of);
  }

  @Override
  public String toString() {
    return kind == Kind.ARRAY ? "array<" + element + ">" : kind.name().toLowerCase(Locale.ROOT);
  }
}
