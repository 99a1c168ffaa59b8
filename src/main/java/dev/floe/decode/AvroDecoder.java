package dev.floe.decode;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes Avro values in the schema registry's wire format ({@code format: avro}) into rows of the
 * record's fields ({@link AvroValues}) and the Kafka columns.
 */
final class AvroDecoder implements RecordDecoder {
  private final long maxValueBytes;
  private final Schema schema;
  private final AvroValues avro;

  AvroDecoder(InputSchema input) {
    this.maxValueBytes = input.config().maxValueBytes();
    this.schema = input.rowSchema();
    this.avro = new AvroValues(input);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Row decode(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Headers headers,
      Object key,
      byte[] value)
      throws DecodeException {
    RecordDecoder.checkSize(value, maxValueBytes);
    GenericRecord record = avro.read(value, "the value");
    Object[] values = new Object[schema.getFieldCount()];
    avro.put(record, values, 0);
    KafkaColumns.fill(values, avro.columns(), topic, partition, offset, timestampMillis, key);
    return Row.withSchema(schema).attachValues(values);
  }
}
