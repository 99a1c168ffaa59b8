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

  /** Sets the Kafka columns of a row's values, the first of them at {@code first}. */
  static void fill(
      Object[] values,
      int first,
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      byte[] key) {
    values[first] = topic;
    values[first + 1] = partition;
    values[first + 2] = offset;
    values[first + 3] = new org.joda.time.Instant(timestampMillis);
    values[first + 4] = key;
  }
}
