package dev.floe.decode;

import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.errors.RunFailure;
import dev.floe.registry.SchemaRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Avro values in the schema registry's wire format (a zero byte, the writer schema's id in
 * 4 bytes, the Avro binary) into rows of the input's reader schema ({@link AvroSchemas}) and the
 * Kafka columns. Writer schemas come from the plan (the subject's versions) or, for an id it did
 * not know, from the registry; each is resolved against the reader once.
 */
final class AvroDecoder implements RecordDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(AvroDecoder.class);

  /** The magic byte and the schema id before the Avro binary. */
  private static final int HEADER = 5;

  private final InputSchema input;
  private final Schema reader;
  private final org.apache.beam.sdk.schemas.Schema schema;
  private final List<Function<Object, Object>> fields = new ArrayList<>();
  private final int kafkaTopic;
  private final Map<Integer, Writer> writers = new HashMap<>();
  private BinaryDecoder reuse;

  /** How records of one writer schema are read, or why they cannot be. */
  private record Writer(GenericDatumReader<GenericRecord> reader, Kind kind, String problem) {}

  AvroDecoder(InputSchema input) {
    this.input = input;
    this.reader = new Schema.Parser().parse(input.avroReaderSchema());
    this.schema = input.rowSchema();
    reader.getFields().forEach(f -> fields.add(AvroRows.converter(f.schema())));
    this.kafkaTopic = reader.getFields().size();
  }

  @Override
  public org.apache.beam.sdk.schemas.Schema schema() {
    return schema;
  }

  @Override
  public Row decode(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Headers headers,
      byte[] key,
      byte[] value)
      throws DecodeException {
    RecordDecoder.checkSize(value, input.config().maxValueBytes());
    if (value.length < HEADER || value[0] != 0) {
      throw new DecodeException(
          Kind.MALFORMED_AVRO,
          "not in the schema registry's wire format: the value must start with a zero byte and a"
              + " 4-byte schema id");
    }
    int id =
        ((value[1] & 0xff) << 24)
            | ((value[2] & 0xff) << 16)
            | ((value[3] & 0xff) << 8)
            | (value[4] & 0xff);
    Writer writer = writers.computeIfAbsent(id, this::writer);
    if (writer.problem() != null) {
      throw new DecodeException(writer.kind(), writer.problem());
    }
    GenericRecord record;
    try {
      reuse = DecoderFactory.get().binaryDecoder(value, HEADER, value.length - HEADER, reuse);
      record = writer.reader().read(null, reuse);
      if (!reuse.isEnd()) {
        throw new DecodeException(
            Kind.MALFORMED_AVRO, "bytes left after the Avro record of schema id " + id);
      }
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new DecodeException(
          Kind.MALFORMED_AVRO, "not valid Avro for schema id " + id + ": " + e.getMessage());
    }
    Object[] values = new Object[schema.getFieldCount()];
    for (int i = 0; i < kafkaTopic; i++) {
      Object v = record.get(i);
      values[i] = v == null ? null : fields.get(i).apply(v);
    }
    KafkaColumns.fill(values, kafkaTopic, topic, partition, offset, timestampMillis, key);
    return Row.withSchema(schema).attachValues(values);
  }

  private Writer writer(int id) {
    String text = input.knownWriterSchemas().get(id);
    if (text == null) {
      try {
        text = input.registry().schemaById(id);
      } catch (SchemaRegistry.UnknownSchemaException e) {
        return new Writer(null, Kind.UNKNOWN_SCHEMA, e.getMessage());
      }
    }
    Schema written;
    try {
      written = new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      return new Writer(
          null,
          Kind.UNKNOWN_SCHEMA,
          "schema id " + id + " is not a valid Avro schema: " + e.getMessage());
    }
    AvroSchemas.Merged merged;
    try {
      merged = AvroSchemas.merge(reader, written);
    } catch (AvroSchemas.Mismatch e) {
      if (input.failOnMismatch()) {
        throw new RunFailure(
            "records with schema id "
                + id
                + " do not fit the table: "
                + e.getMessage()
                + ". outputOptions.schemaEvolution is fail, so the batch stops; nothing was"
                + " committed",
            e);
      }
      LOG.warn(
          "schema id {}: {}; its records are dead letters (SCHEMA_MISMATCH)", id, e.getMessage());
      return new Writer(null, Kind.SCHEMA_MISMATCH, "schema id " + id + ": " + e.getMessage());
    }
    if (!merged.changes().isEmpty()) {
      // registered after this batch was planned: its new columns reach the table on the next plan
      throw new RunFailure(
          "schema id "
              + id
              + " was registered after this batch was planned and "
              + String.join(", ", merged.changes())
              + "; nothing was committed, and a rerun adds the columns and reads these records",
          null);
    }
    return new Writer(new GenericDatumReader<>(written, reader), null, null);
  }
}
