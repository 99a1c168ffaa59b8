package dev.floe.decode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;

/**
 * Avro types as Beam column types, and Avro generic records as values of them: records become rows,
 * enums and uuids strings, {@code date} a date, {@code timestamp-millis}/{@code -micros} a
 * timestamp with zone, {@code local-timestamp-*} one without, {@code decimal} a fixed-precision
 * decimal; {@code time-*} stay the numbers they are. A union must be of null and one other type.
 */
final class AvroRows {
  private AvroRows() {}

  /** The Beam type of an Avro type; fails naming the field for a type with no column type. */
  static FieldType beamType(org.apache.avro.Schema schema, String field) {
    org.apache.avro.Schema s = AvroSchemas.nonNull(schema);
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      return nullable(
          FieldType.logicalType(FixedPrecisionNumeric.of(d.getPrecision(), d.getScale())));
    }
    if (logical instanceof LogicalTypes.Date) {
      return nullable(FieldType.logicalType(SqlTypes.DATE));
    }
    if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      // Beam SQL reads no finer timestamp than milliseconds (DATETIME)
      return nullable(FieldType.DATETIME);
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return nullable(FieldType.logicalType(SqlTypes.DATETIME));
    }
    FieldType t =
        switch (s.getType()) {
          case RECORD -> FieldType.row(beamSchema(s, field + "."));
          case ENUM, STRING -> FieldType.STRING;
          case ARRAY -> FieldType.array(beamType(s.getElementType(), field + "[]"));
          case MAP -> FieldType.map(FieldType.STRING, beamType(s.getValueType(), field + "{}"));
          case FIXED, BYTES -> FieldType.BYTES;
          case INT -> FieldType.INT32;
          case LONG -> FieldType.INT64;
          case FLOAT -> FieldType.FLOAT;
          case DOUBLE -> FieldType.DOUBLE;
          case BOOLEAN -> FieldType.BOOLEAN;
          default ->
              throw new IllegalArgumentException(
                  "field '"
                      + field
                      + "' has Avro type "
                      + AvroSchemas.describe(s)
                      + ", which has no column type; a union must be of null and one other type");
        };
    return nullable(t);
  }

  /** The Beam schema of an Avro record's fields; {@code prefix} names nested fields in messages. */
  static Schema beamSchema(org.apache.avro.Schema record, String prefix) {
    Schema.Builder b = Schema.builder();
    for (org.apache.avro.Schema.Field f : record.getFields()) {
      b.addField(f.name(), beamType(f.schema(), prefix + f.name()));
    }
    return b.build();
  }

  private static FieldType nullable(FieldType t) {
    return t.withNullable(true);
  }

  /** Converts values of one Avro type to the Beam values of {@link #beamType}. */
  static Function<Object, Object> converter(org.apache.avro.Schema schema) {
    org.apache.avro.Schema s = AvroSchemas.nonNull(schema);
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      int scale = d.getScale();
      return v -> new BigDecimal(new BigInteger(bytes(v)), scale);
    }
    if (logical instanceof LogicalTypes.Date) {
      return v -> LocalDate.ofEpochDay((Integer) v);
    }
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return v -> new org.joda.time.Instant((long) (Long) v);
    }
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return v -> new org.joda.time.Instant(Math.floorDiv((Long) v, 1000L));
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis) {
      return v -> LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) v), ZoneOffset.UTC);
    }
    if (logical instanceof LogicalTypes.LocalTimestampMicros) {
      return v -> LocalDateTime.ofInstant(micros((Long) v), ZoneOffset.UTC);
    }
    switch (s.getType()) {
      case RECORD:
        return rows(s);
      case ENUM:
      case STRING:
        return Object::toString;
      case FIXED:
      case BYTES:
        return AvroRows::bytes;
      case ARRAY:
        Function<Object, Object> item = converter(s.getElementType());
        return v -> {
          List<Object> out = new ArrayList<>();
          for (Object x : (Iterable<?>) v) {
            out.add(x == null ? null : item.apply(x));
          }
          return out;
        };
      case MAP:
        Function<Object, Object> value = converter(s.getValueType());
        return v -> {
          Map<String, Object> out = new LinkedHashMap<>();
          ((Map<?, ?>) v)
              .forEach((k, x) -> out.put(k.toString(), x == null ? null : value.apply(x)));
          return out;
        };
      default:
        return v -> v;
    }
  }

  /** Converts records of an Avro record schema to rows of its {@link #beamSchema}. */
  static Function<Object, Object> rows(org.apache.avro.Schema record) {
    Schema beam = beamSchema(record, "");
    List<org.apache.avro.Schema.Field> fields = record.getFields();
    List<Function<Object, Object>> converters = new ArrayList<>();
    fields.forEach(f -> converters.add(converter(f.schema())));
    return v -> {
      GenericRecord r = (GenericRecord) v;
      Object[] values = new Object[fields.size()];
      for (int i = 0; i < values.length; i++) {
        Object x = r.get(i);
        values[i] = x == null ? null : converters.get(i).apply(x);
      }
      return Row.withSchema(beam).attachValues(values);
    };
  }

  /** Microseconds since the epoch as an instant. */
  static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** Avro {@code bytes} (a buffer) or {@code fixed} as an array of their own. */
  static byte[] bytes(Object v) {
    if (v instanceof GenericData.Fixed f) {
      return f.bytes().clone();
    }
    ByteBuffer b = ((ByteBuffer) v).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
