package dev.floe.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.kafka.common.header.Header;
import org.joda.time.Instant;

/**
 * Records that cannot become rows: the Kafka record as it was, and why. They travel as a tagged
 * output ({@link #TAG}) and land in the dead-letter table next to the target.
 */
public final class DeadLetters {
  private DeadLetters() {}

  /** Why a record could not become a row; the table's {@code error_kind}. */
  public enum Kind {
    MALFORMED_JSON,
    MISSING_ATTRIBUTE,
    UNSUPPORTED_SPECVERSION,
    INVALID_TIME,
    DATA_TYPE_MISMATCH,
    EMPTY_VALUE,
    TOO_LARGE,
    CAST_FAILED,
    /** A SQL step's generated code failed on the row (bad cast, division by zero, ...). */
    SQL_FAILED,
    /**
     * A record with a null value; dead-lettered only with {@code options.tombstones: dead-letter}.
     */
    TOMBSTONE,
    /** Not an Avro record in the schema registry's wire format, or not valid for its schema. */
    MALFORMED_AVRO,
    /** The record names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /** The record's writer schema changes a field's type in a way the table cannot take. */
    SCHEMA_MISMATCH
  }

  public static final TupleTag<Row> TAG = new TupleTag<>("dead-letters") {};

  public static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("pipeline_id", FieldType.STRING)
          .addNullableField("batch_id", FieldType.STRING)
          .addNullableField("topic", FieldType.STRING)
          .addNullableField("partition", FieldType.INT32)
          .addNullableField("offset", FieldType.INT64)
          .addNullableField("kafka_timestamp", FieldType.DATETIME)
          .addNullableField("key", FieldType.BYTES)
          .addNullableField(
              "headers", FieldType.map(FieldType.STRING, FieldType.BYTES.withNullable(true)))
          .addNullableField("value", FieldType.BYTES)
          .addNullableField("value_size", FieldType.INT64)
          .addNullableField("error_kind", FieldType.STRING)
          .addNullableField("error_message", FieldType.STRING)
          .addNullableField("stage", FieldType.STRING)
          .addNullableField("failed_at", FieldType.DATETIME)
          .build();

  /** Identifies the batch a dead letter belongs to. */
  public record BatchTag(String pipelineId, String batchId) implements java.io.Serializable {}

  /** A dead letter for a Kafka record; a value over {@code maxValueBytes} is stored truncated. */
  public static Row of(
      BatchTag batch,
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      byte[] key,
      Iterable<Header> headers,
      byte[] value,
      long maxValueBytes,
      Kind kind,
      String message,
      String stage) {
    byte[] stored =
        value == null || value.length <= maxValueBytes
            ? value
            : java.util.Arrays.copyOf(value, (int) maxValueBytes);
    Map<String, byte[]> h = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach(x -> h.put(x.key(), x.value()));
    }
    return Row.withSchema(SCHEMA)
        .attachValues(
            batch.pipelineId(),
            batch.batchId(),
            topic,
            partition,
            offset,
            new Instant(timestampMillis),
            key,
            h,
            stored,
            value == null ? null : (long) value.length,
            kind.name(),
            message,
            stage,
            Instant.now());
  }

  /** A dead letter for a row that a step could not process; the row is kept as its text. */
  public static Row ofRow(BatchTag batch, Row row, Kind kind, String message, String stage) {
    String topic = stringOrNull(row, "_kafka_topic");
    Integer partition =
        row.getSchema().hasField("_kafka_partition") ? row.getInt32("_kafka_partition") : null;
    Long offset = row.getSchema().hasField("_kafka_offset") ? row.getInt64("_kafka_offset") : null;
    byte[] text = row.toString().getBytes(StandardCharsets.UTF_8);
    return Row.withSchema(SCHEMA)
        .attachValues(
            batch.pipelineId(),
            batch.batchId(),
            topic,
            partition,
            offset,
            null,
            null,
            Map.of(),
            text,
            (long) text.length,
            kind.name(),
            message,
            stage,
            Instant.now());
  }

  private static String stringOrNull(Row row, String field) {
    return row.getSchema().hasField(field) ? row.getString(field) : null;
  }
}
