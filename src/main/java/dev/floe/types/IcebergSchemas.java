package dev.floe.types;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.joda.time.ReadableInstant;

/**
 * Beam schemas as Iceberg schemas, and Beam rows as Iceberg records holding Iceberg's internal
 * representation (what partition transforms and Iceberg's internal Parquet writer take): timestamps
 * as epoch microseconds, dates as epoch days, binary as byte buffers. Every column is optional.
 * Timestamps with a zone ({@code DATETIME}, {@code MicrosInstant}) become {@code timestamptz};
 * {@code timestamp_ntz} becomes {@code timestamp}.
 */
public final class IcebergSchemas {
  private IcebergSchemas() {}

  public static Schema toIceberg(org.apache.beam.sdk.schemas.Schema beam) {
    AtomicInteger ids = new AtomicInteger(0);
    return new Schema(struct(beam, ids).fields());
  }

  private static Types.StructType struct(
      org.apache.beam.sdk.schemas.Schema beam, AtomicInteger ids) {
    // ids of a struct's own fields come first, as Iceberg assigns them
    List<Integer> fieldIds = new ArrayList<>();
    for (int i = 0; i < beam.getFieldCount(); i++) {
      fieldIds.add(ids.incrementAndGet());
    }
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < beam.getFieldCount(); i++) {
      Field f = beam.getField(i);
      fields.add(
          Types.NestedField.optional(fieldIds.get(i), f.getName(), type(f, f.getType(), ids)));
    }
    return Types.StructType.of(fields);
  }

  private static Type type(Field field, FieldType t, AtomicInteger ids) {
    switch (t.getTypeName()) {
      case STRING:
        return Types.StringType.get();
      case BYTE:
      case INT16:
      case INT32:
        return Types.IntegerType.get();
      case INT64:
        return Types.LongType.get();
      case FLOAT:
        return Types.FloatType.get();
      case DOUBLE:
        return Types.DoubleType.get();
      case BOOLEAN:
        return Types.BooleanType.get();
      case BYTES:
        return Types.BinaryType.get();
      case DATETIME:
        return Types.TimestampType.withZone();
      case ARRAY:
      case ITERABLE:
        return Types.ListType.ofOptional(
            ids.incrementAndGet(), type(field, t.getCollectionElementType(), ids));
      case MAP:
        int keyId = ids.incrementAndGet();
        int valueId = ids.incrementAndGet();
        return Types.MapType.ofOptional(
            keyId,
            valueId,
            type(field, t.getMapKeyType(), ids),
            type(field, t.getMapValueType(), ids));
      case ROW:
        return struct(t.getRowSchema(), ids);
      case LOGICAL_TYPE:
        String id = t.getLogicalType().getIdentifier();
        if (id.equals(MicrosInstant.IDENTIFIER)) {
          return Types.TimestampType.withZone();
        }
        if (id.equals(SqlTypes.DATETIME.getIdentifier())) {
          return Types.TimestampType.withoutZone();
        }
        if (id.equals(SqlTypes.DATE.getIdentifier())) {
          return Types.DateType.get();
        }
        if (id.equals(FixedPrecisionNumeric.IDENTIFIER)) {
          Row precisionAndScale = t.getLogicalType().getArgument();
          return Types.DecimalType.of(
              precisionAndScale.getInt32("precision"), precisionAndScale.getInt32("scale"));
        }
        return type(field, t.getLogicalType().getBaseType(), ids);
      default:
        throw new IllegalArgumentException(
            "column '"
                + field.getName()
                + "' has type "
                + t
                + ", which Floe cannot write to Iceberg; cast it with set_type or in SQL");
    }
  }

  /** Converts one value to Iceberg's internal representation. */
  interface Convert extends Serializable {
    Object apply(Object value);
  }

  /** Converts rows of one Beam schema to records of an Iceberg schema, matching columns by name. */
  public static final class RowConverter implements Serializable {
    private final Types.StructType struct;
    private final int[] source;
    private final Convert[] converts;
    private transient GenericRecord empty;

    public RowConverter(org.apache.beam.sdk.schemas.Schema beam, Types.StructType iceberg) {
      this(beam, iceberg, null);
    }

    /** A converter that fills only the {@code only} columns (all when null), the rest null. */
    public RowConverter(
        org.apache.beam.sdk.schemas.Schema beam, Types.StructType iceberg, Set<String> only) {
      this.struct = iceberg;
      List<Types.NestedField> fields = iceberg.fields();
      this.source = new int[fields.size()];
      this.converts = new Convert[fields.size()];
      for (int i = 0; i < fields.size(); i++) {
        String name = fields.get(i).name();
        boolean wanted = only == null || only.contains(name);
        source[i] = wanted && beam.hasField(name) ? beam.indexOf(name) : -1;
        converts[i] =
            source[i] < 0
                ? null
                : converter(beam.getField(source[i]).getType(), fields.get(i).type());
      }
    }

    public Record convert(Row row) {
      // a copy of an empty record shares its index of field names; GenericRecord.create looks
      // the struct up in Iceberg's shared cache per record, and the cache's upkeep, handed to
      // the common fork-join pool, woke its threads several thousand times a second
      GenericRecord record = empty().copy();
      for (int i = 0; i < source.length; i++) {
        if (source[i] >= 0) {
          Object v = row.getValue(source[i]);
          record.set(i, v == null ? null : converts[i].apply(v));
        }
      }
      return record;
    }

    private GenericRecord empty() {
      if (empty == null) {
        empty = GenericRecord.create(struct);
      }
      return empty;
    }
  }

  /** A timestamp of any of Beam's kinds as microseconds since the epoch (UTC for local times). */
  public static long micros(Object v) {
    if (v instanceof Instant i) {
      // what DateTimeUtil.microsFromInstant gives, without the time-zone rules it builds per call
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }
    if (v instanceof ReadableInstant r) {
      return Math.multiplyExact(r.getMillis(), 1000L);
    }
    if (v instanceof LocalDateTime t) {
      return DateTimeUtil.microsFromTimestamp(t);
    }
    throw new IllegalArgumentException("not a timestamp: " + v.getClass().getName());
  }

  private static Convert converter(FieldType beam, Type iceberg) {
    switch (iceberg.typeId()) {
      case INTEGER:
        return v -> ((Number) v).intValue();
      case BINARY:
        return v -> ByteBuffer.wrap((byte[]) v);
      case TIMESTAMP:
        return IcebergSchemas::micros;
      case DATE:
        return v -> DateTimeUtil.daysFromDate((LocalDate) v);
      case LIST:
        Convert element =
            converter(beam.getCollectionElementType(), iceberg.asListType().elementType());
        return v -> {
          List<Object> out = new ArrayList<>();
          for (Object item : (Iterable<?>) v) {
            out.add(item == null ? null : element.apply(item));
          }
          return out;
        };
      case MAP:
        Convert key = converter(beam.getMapKeyType(), iceberg.asMapType().keyType());
        Convert value = converter(beam.getMapValueType(), iceberg.asMapType().valueType());
        return v -> {
          Map<Object, Object> out = new LinkedHashMap<>();
          ((Map<?, ?>) v)
              .forEach((k, x) -> out.put(key.apply(k), x == null ? null : value.apply(x)));
          return out;
        };
      case STRUCT:
        RowConverter nested = new RowConverter(beam.getRowSchema(), iceberg.asStructType());
        return v -> nested.convert((Row) v);
      default:
        return v -> v;
    }
  }
}
