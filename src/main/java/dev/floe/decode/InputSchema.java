package dev.floe.decode;

import dev.floe.config.CloudEventColumns;
import dev.floe.config.InputConfig;
import dev.floe.config.SinkConfig.SchemaEvolution;
import dev.floe.errors.RunFailure;
import dev.floe.registry.SchemaRegistry;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an input's records decode to, fixed when a batch is planned: the rows' schema and, for Avro,
 * the reader schema built from the subject's versions and the writer schemas seen then. Hands out
 * the decoder of the input's format.
 */
public final class InputSchema implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(InputSchema.class);

  private final InputConfig config;
  private final Schema rows;
  private final String avroReaderSchema;
  private final Map<Integer, String> knownWriterSchemas;
  private final boolean failOnMismatch;

  private InputSchema(
      InputConfig config,
      Schema rows,
      String avroReaderSchema,
      Map<Integer, String> knownWriterSchemas,
      boolean failOnMismatch) {
    this.config = config;
    this.rows = rows;
    this.avroReaderSchema = avroReaderSchema;
    this.knownWriterSchemas = knownWriterSchemas;
    this.failOnMismatch = failOnMismatch;
  }

  /**
   * The input's schema now; for Avro this asks the registry for the subject's versions (a registry
   * that does not answer fails the run: nothing is read).
   */
  public static InputSchema of(InputConfig input, SchemaEvolution evolution) {
    boolean fail = evolution == SchemaEvolution.FAIL;
    return switch (input.format()) {
      case InputConfig.AVRO -> avro(input, fail);
      case InputConfig.JSON ->
          new InputSchema(input, JsonValueDecoder.schema(input), null, Map.of(), fail);
      default -> new InputSchema(input, CloudEventSchema.of(input), null, Map.of(), fail);
    };
  }

  private static InputSchema avro(InputConfig input, boolean fail) {
    SchemaRegistry registry = registry(input);
    String subject = input.valueSubject();
    org.apache.avro.Schema reader = null;
    Map<Integer, String> writers = new TreeMap<>();
    for (SchemaRegistry.Version v : registry.versions(subject)) {
      writers.put(v.id(), v.schema());
      org.apache.avro.Schema written = new org.apache.avro.Schema.Parser().parse(v.schema());
      if (written.getType() != org.apache.avro.Schema.Type.RECORD) {
        throw new RunFailure(
            "subject "
                + subject
                + " version "
                + v.version()
                + " is a "
                + AvroSchemas.describe(written)
                + " schema; format avro reads records (each field a column)",
            null);
      }
      if (reader == null) {
        reader = AvroSchemas.readerOf(written);
        continue;
      }
      try {
        AvroSchemas.Merged merged = AvroSchemas.merge(reader, written);
        if (!merged.changes().isEmpty()) {
          LOG.info(
              "subject {} version {} (schema id {}) {}",
              subject,
              v.version(),
              v.id(),
              String.join(", ", merged.changes()));
        }
        reader = merged.schema();
      } catch (AvroSchemas.Mismatch e) {
        LOG.warn(
            "subject {} version {} (schema id {}): {}; its records are dead letters"
                + " (SCHEMA_MISMATCH)",
            subject,
            v.version(),
            v.id(),
            e.getMessage());
      }
    }
    if (reader == null) {
      throw new RunFailure(
          "the schema registry at "
              + registry.url()
              + " has no schema under subject "
              + subject
              + ": produce with a registry serializer first (it registers the schema), or name the"
              + " subject with inputs[].options.subject; nothing was read",
          null);
    }
    Schema.Builder b = Schema.builder();
    for (org.apache.avro.Schema.Field f : reader.getFields()) {
      if (CloudEventColumns.KAFKA.contains(f.name())) {
        throw new RunFailure(
            "subject "
                + subject
                + " has a field "
                + f.name()
                + ", a name Floe gives a Kafka"
                + " metadata column; rename the field",
            null);
      }
      b.addField(f.name(), AvroRows.beamType(f.schema(), f.name()));
    }
    KafkaColumns.addTo(b);
    return new InputSchema(input, b.build(), reader.toString(), Map.copyOf(writers), fail);
  }

  private static SchemaRegistry registry(InputConfig input) {
    return new SchemaRegistry(input.schemaRegistryUrl(), input.registryProperties());
  }

  public InputConfig config() {
    return config;
  }

  /** The schema of the decoded rows: the value's columns, then the Kafka columns. */
  public Schema rowSchema() {
    return rows;
  }

  /** A new decoder of the input's format (one per DoFn instance: decoders keep state). */
  public RecordDecoder decoder() {
    return switch (config.format()) {
      case InputConfig.AVRO -> new AvroDecoder(this);
      case InputConfig.JSON -> new JsonValueDecoder(config);
      default -> new CloudEventDecoder(config);
    };
  }

  String avroReaderSchema() {
    return avroReaderSchema;
  }

  Map<Integer, String> knownWriterSchemas() {
    return knownWriterSchemas;
  }

  boolean failOnMismatch() {
    return failOnMismatch;
  }

  SchemaRegistry registry() {
    return registry(config);
  }
}
