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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro bytes in the schema registry's wire format (a zero byte, the writer schema's id in 4 bytes,
 * the Avro binary) read as records of the input's reader schema ({@link AvroSchemas}), and their
 * fields put into a row's columns. Writer schemas come from the plan (the subject's versions) or,
 * for an id it did not know, from the registry; each is resolved against the reader once. Not
 * thread-safe.
 */
final class AvroValues {
  private static final Logger LOG = LoggerFactory.getLogger(AvroValues.class);

  /** The magic byte and the schema id before the Avro binary. */
  private static final int HEADER = 5;

  private final InputSchema input;
  private final Map<Integer, String> known;
  private final Schema reader;
  private final List<Function<Object, Object>> fields = new ArrayList<>();
  private final Map<Integer, Writer> writers = new HashMap<>();
  private SchemaRegistry registry;
  private BinaryDecoder reuse;
  private Function<Object, Object> rows;

  /** How records of one writer schema are read, or why they cannot be. */
  private record Writer(GenericDatumReader<GenericRecord> reader, Kind kind, String problem) {}

  /** Reads the input's values as its reader schema; without one, as each was written. */
  AvroValues(InputSchema input) {
    this(input, input.avroReaderSchema(), input.knownWriterSchemas());
  }

  /**
   * @param readerSchema what records are read as; null: as each was written
   * @param known writer schemas by id, as the plan found them
   */
  AvroValues(InputSchema input, String readerSchema, Map<Integer, String> known) {
    this.input = input;
    this.known = known;
    this.reader = readerSchema == null ? null : new Schema.Parser().parse(readerSchema);
    if (reader != null) {
      reader.getFields().forEach(f -> fields.add(AvroRows.converter(f.schema())));
    }
  }

  /** How many columns a record fills. */
  int columns() {
    return fields.size();
  }

  /** The record {@code value} holds; {@code what} names it in messages ("the value", "data"). */
  GenericRecord read(byte[] value, String what) throws DecodeException {
    if (value.length < HEADER || value[0] != 0) {
      throw new DecodeException(
          Kind.MALFORMED_AVRO,
          what
              + " is not in the schema registry's wire format: it must start with a zero byte and"
              + " a 4-byte schema id");
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
    try {
      reuse = DecoderFactory.get().binaryDecoder(value, HEADER, value.length - HEADER, reuse);
      GenericRecord record = writer.reader().read(null, reuse);
      if (!reuse.isEnd()) {
        throw new DecodeException(
            Kind.MALFORMED_AVRO, "bytes left after the Avro record of schema id " + id);
      }
      return record;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new DecodeException(
          Kind.MALFORMED_AVRO, "not valid Avro for schema id " + id + ": " + e.getMessage());
    }
  }

  /** The record {@code bytes} hold as a row of the reader schema's fields. */
  org.apache.beam.sdk.values.Row row(byte[] bytes, String what) throws DecodeException {
    if (rows == null) {
      rows = AvroRows.rows(reader);
    }
    return (org.apache.beam.sdk.values.Row) rows.apply(read(bytes, what));
  }

  /** Puts the record's fields into {@code values}, the first at {@code first}. */
  void put(GenericRecord record, Object[] values, int first) {
    for (int i = 0; i < fields.size(); i++) {
      Object v = record.get(i);
      values[first + i] = v == null ? null : fields.get(i).apply(v);
    }
  }

  private Writer writer(int id) {
    String text = known.get(id);
    if (text == null) {
      try {
        if (registry == null) {
          registry = input.registry();
        }
        text = registry.schemaById(id);
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
    if (reader == null) {
      return new Writer(new GenericDatumReader<>(written), null, null);
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
