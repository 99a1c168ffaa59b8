package dev.floe.decode;

import dev.floe.config.CloudEventColumns;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The Kafka metadata columns every input ends with ({@link CloudEventColumns#KAFKA}): where each
 * row's record came from.
 */
final class KafkaColumns {
  private static final Schema.FieldType[] TYPES = {
    Schema.FieldType.STRING,
    Schema.FieldType.INT32,
    Schema.FieldType.INT64,
    Schema.FieldType.DATETIME,
    Schema.FieldType.BYTES
  };

  private KafkaColumns() {}

  static void addTo(Schema.Builder b) {
    for (int i = 0; i < TYPES.length; i++) {
      b.addNullableField(CloudEventColumns.KAFKA.get(i), TYPES[i]);
    }
  }

  /** {@code rows} with the key column of type {@code key} (a struct, for Avro keys). */
  static Schema withKeyType(Schema rows, Schema.FieldType key) {
    String name = CloudEventColumns.KAFKA.get(4);
    Schema.Builder b = Schema.builder();
    for (Schema.Field f : rows.getFields()) {
      b.addField(f.getName().equals(name) ? Schema.Field.nullable(name, key) : f);
    }
    return b.build();
  }

  /** Sets the Kafka columns of a row's values, the first of them at {@code first}. */
  static void fill(
      Object[] values,
      int first,
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Object key) {
    values[first] = topic;
    values[first + 1] = partition;
    values[first + 2] = offset;
    values[first + 3] = new org.joda.time.Instant(timestampMillis);
    values[first + 4] = key;
  }
}
