package dev.floe.decode;

import dev.floe.config.FieldType;
import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.types.Rfc3339;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The declared data fields ({@code data.fields}) of a CloudEvent whose data is Avro, taken by name
 * from the record as it was written: the same columns whether an event's data is JSON or Avro. A
 * field missing from the record is null; one whose Avro type does not give the declared type is a
 * {@code DATA_TYPE_MISMATCH}, as in JSON data.
 */
final class AvroDataFields {
  private final Map<String, FieldType> declared;
  private final Map<String, Integer> columns;

  AvroDataFields(Map<String, FieldType> declared, org.apache.beam.sdk.schemas.Schema rows) {
    this.declared = declared;
    this.columns = new java.util.HashMap<>();
    declared.keySet().forEach(name -> columns.put(name, rows.indexOf(name)));
  }

  void put(GenericRecord record, Object[] values) throws DecodeException {
    for (Map.Entry<String, FieldType> d : declared.entrySet()) {
      Schema.Field f = record.getSchema().getField(d.getKey());
      Object v = f == null ? null : record.get(f.pos());
      if (v != null) {
        values[columns.get(d.getKey())] = value(v, f.schema(), d.getValue(), d.getKey());
      }
    }
  }

  private static Object value(Object v, Schema schema, FieldType type, String field)
      throws DecodeException {
    Schema s = AvroSchemas.nonNull(schema);
    if (s.getType() == Schema.Type.UNION) {
      s = branch(s, v);
    }
    LogicalType logical = s.getLogicalType();
    switch (type.kind()) {
      case STRING:
        if (v instanceof CharSequence || s.getType() == Schema.Type.ENUM) {
          return v.toString();
        }
        break;
      case INT:
        if (v instanceof Integer && logical == null) {
          return v;
        }
        break;
      case LONG:
        if ((v instanceof Integer || v instanceof Long) && logical == null) {
          return ((Number) v).longValue();
        }
        break;
      case DOUBLE:
        if (v instanceof Number && logical == null) {
          return ((Number) v).doubleValue();
        }
        break;
      case FLOAT:
        if ((v instanceof Float || v instanceof Integer) && logical == null) {
          return ((Number) v).floatValue();
        }
        break;
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        break;
      case BYTES:
        if (v instanceof ByteBuffer || v instanceof GenericData.Fixed) {
          return AvroRows.bytes(v);
        }
        break;
      case DATE:
        if (logical instanceof LogicalTypes.Date) {
          return LocalDate.ofEpochDay((Integer) v);
        }
        break;
      case TIMESTAMP:
        if (logical instanceof LogicalTypes.TimestampMillis) {
          return Instant.ofEpochMilli((Long) v);
        }
        if (logical instanceof LogicalTypes.TimestampMicros) {
          return AvroRows.micros((Long) v);
        }
        if (v instanceof CharSequence text && Rfc3339.isValid(text.toString())) {
          return Rfc3339.parseMicros(text.toString());
        }
        break;
      case TIMESTAMP_NTZ:
        if (logical instanceof LogicalTypes.LocalTimestampMillis) {
          return LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) v), ZoneOffset.UTC);
        }
        break;
      case ARRAY:
        if (v instanceof List<?> items) {
          List<Object> out = new ArrayList<>();
          for (Object item : items) {
            out.add(
                item == null
                    ? null
                    : value(item, s.getElementType(), type.element(), field + "[]"));
          }
          return out;
        }
        break;
      default:
        break;
    }
    throw new DecodeException(
        Kind.DATA_TYPE_MISMATCH,
        "data." + field + ": expected " + type + ", found Avro " + AvroSchemas.describe(s));
  }

  /** The branch of a union a value was written with. */
  private static Schema branch(Schema union, Object v) {
    return union.getTypes().get(GenericData.get().resolveUnion(union, v));
  }
}
