package dev.floe.decode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;

/**
 * The reader schema of an Avro input: what every writer schema of a subject is resolved to. It is
 * the first version with each later one merged in: new fields are added, {@code int} and {@code
 * float} widened to {@code long} and {@code double}, enum symbols gathered. Every field of the
 * reader is optional with a null default, so a record written before a field existed (or after it
 * was dropped) reads it as null. A change that cannot be promoted is a {@link Mismatch}.
 */
public final class AvroSchemas {
  private AvroSchemas() {}

  /** A field whose type in a writer schema cannot be read as the reader's type. */
  public static final class Mismatch extends Exception {
    public Mismatch(String field, String readerType, String writerType) {
      super(
          "field '"
              + field
              + "' is "
              + writerType
              + " in the writer's schema and "
              + readerType
              + " in the table's; "
              + writerType
              + " cannot be promoted to "
              + readerType);
    }
  }

  /** A merged schema and what the merge changed (empty when the writer brought nothing new). */
  public record Merged(Schema schema, List<String> changes) {}

  /** The reader form of a writer schema: every field optional with a null default. */
  public static Schema readerOf(Schema writer) {
    try {
      return merge(writer, writer).schema();
    } catch (Mismatch e) {
      throw new IllegalStateException("a schema must merge with itself", e);
    }
  }

  /** {@code writer} merged into {@code reader}. */
  public static Merged merge(Schema reader, Schema writer) throws Mismatch {
    List<String> changes = new ArrayList<>();
    Schema merged = nonNull(merge(reader, writer, "", changes));
    return new Merged(merged, List.copyOf(changes));
  }

  private static Schema merge(Schema reader, Schema writer, String path, List<String> changes)
      throws Mismatch {
    Schema r = nonNull(reader);
    Schema w = nonNull(writer);
    if (r.getType() == Type.RECORD && w.getType() == Type.RECORD) {
      List<Field> fields = new ArrayList<>();
      for (Field rf : r.getFields()) {
        Field wf = w.getField(rf.name());
        Schema type =
            wf == null
                ? rf.schema()
                : merge(rf.schema(), wf.schema(), join(path, rf.name()), changes);
        fields.add(optional(rf, type));
      }
      for (Field wf : w.getFields()) {
        if (r.getField(wf.name()) == null) {
          changes.add("adds " + join(path, wf.name()) + " (" + describe(wf.schema()) + ")");
          fields.add(
              optional(
                  wf, merge(wf.schema(), wf.schema(), join(path, wf.name()), new ArrayList<>())));
        }
      }
      return nullable(
          Schema.createRecord(r.getName(), r.getDoc(), r.getNamespace(), false, fields));
    }
    if (r.getType() == Type.ARRAY && w.getType() == Type.ARRAY) {
      return nullable(
          Schema.createArray(merge(r.getElementType(), w.getElementType(), path + "[]", changes)));
    }
    if (r.getType() == Type.MAP && w.getType() == Type.MAP) {
      return nullable(
          Schema.createMap(merge(r.getValueType(), w.getValueType(), path + "{}", changes)));
    }
    if (r.getType() == Type.ENUM && w.getType() == Type.ENUM) {
      Set<String> symbols = new LinkedHashSet<>(r.getEnumSymbols());
      if (symbols.addAll(w.getEnumSymbols())) {
        changes.add("adds symbols to " + path);
      }
      return nullable(
          Schema.createEnum(r.getName(), r.getDoc(), r.getNamespace(), List.copyOf(symbols)));
    }
    if (same(r, w)) {
      return nullable(r);
    }
    if (r.getLogicalType() == null && w.getLogicalType() == null) {
      if (r.getType() == Type.INT && w.getType() == Type.LONG
          || r.getType() == Type.FLOAT && w.getType() == Type.DOUBLE) {
        changes.add("widens " + path + " from " + describe(r) + " to " + describe(w));
        return nullable(w);
      }
      if (r.getType() == Type.LONG && w.getType() == Type.INT
          || r.getType() == Type.DOUBLE && (w.getType() == Type.FLOAT || w.getType() == Type.INT)) {
        return nullable(r);
      }
    }
    throw new Mismatch(path, describe(r), describe(w));
  }

  private static boolean same(Schema r, Schema w) {
    if (r.getType() != w.getType() || !Objects.equals(r.getLogicalType(), w.getLogicalType())) {
      return false;
    }
    return switch (r.getType()) {
      case FIXED -> r.getFixedSize() == w.getFixedSize();
      case UNION -> r.equals(w);
      default -> true;
    };
  }

  private static Field optional(Field f, Schema type) {
    return new Field(f.name(), nullable(type), f.doc(), JsonProperties.NULL_VALUE);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** {@code s} as a union with null first (what a null default needs). */
  static Schema nullable(Schema s) {
    if (s.getType() == Type.NULL) {
      return s;
    }
    List<Schema> branches = new ArrayList<>();
    branches.add(Schema.create(Type.NULL));
    if (s.getType() == Type.UNION) {
      s.getTypes().stream().filter(b -> b.getType() != Type.NULL).forEach(branches::add);
    } else {
      branches.add(s);
    }
    return Schema.createUnion(branches);
  }

  /** The one non-null branch of a union with null, or {@code s} itself. */
  static Schema nonNull(Schema s) {
    if (s.getType() != Type.UNION) {
      return s;
    }
    List<Schema> branches = s.getTypes().stream().filter(b -> b.getType() != Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : s;
  }

  /** A type as messages name it: {@code int}, {@code timestamp-micros}, {@code decimal(9,2)}. */
  static String describe(Schema schema) {
    Schema s = nonNull(schema);
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    if (logical != null) {
      return logical.getName();
    }
    return switch (s.getType()) {
      case RECORD -> "record " + s.getName();
      case ENUM -> "enum " + s.getName();
      case ARRAY -> "array<" + describe(s.getElementType()) + ">";
      case MAP -> "map<string," + describe(s.getValueType()) + ">";
      case UNION -> "union " + s.getTypes().stream().map(AvroSchemas::describe).toList();
      default -> s.getType().getName();
    };
  }
}
