package dev.floe.decode;

import dev.floe.deadletter.DeadLetters.Kind;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes one Kafka record's value into a row of {@link #schema()}, or says why it cannot with a
 * {@link DecodeException} (the record becomes a dead letter). Not thread-safe; one per DoFn.
 */
public interface RecordDecoder {
  Schema schema();

  /**
   * @param key the key column's value: the key's bytes, or its row when keys are Avro
   */
  Row decode(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Headers headers,
      Object key,
      byte[] value)
      throws DecodeException;

  /** Fails for an empty value and for one over the input's {@code maxValueBytes}. */
  static void checkSize(byte[] value, long maxValueBytes) throws DecodeException {
    if (value == null || value.length == 0) {
      throw new DecodeException(Kind.EMPTY_VALUE, "the record has an empty value");
    }
    if (value.length > maxValueBytes) {
      throw new DecodeException(
          Kind.TOO_LARGE,
          "the value is "
              + value.length
              + " bytes, over the limit of "
              + maxValueBytes
              + " (inputs[].maxValueBytes); stored"
              + " truncated, value_size holds the real size");
    }
  }
}
