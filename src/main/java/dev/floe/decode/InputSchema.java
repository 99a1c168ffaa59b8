package dev.floe.decode;

import dev.floe.config.InputConfig;
import dev.floe.config.SinkConfig.SchemaEvolution;
import dev.floe.errors.RunFailure;
import dev.floe.registry.SchemaRegistry;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private String keyReaderSchema;
  private Map<Integer, String> knownKeySchemas = Map.of();

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
    InputSchema values = values(input, evolution == SchemaEvolution.FAIL);
    return input.avroKeys() ? values.withAvroKeys() : values;
  }

  private static InputSchema values(InputConfig input, boolean fail) {
    switch (input.format()) {
      case InputConfig.AVRO:
        {
          Registered r = Registered.of(input, input.valueSubject());
          if (r == null) {
            throw new RunFailure(
                noSubject(input, input.valueSubject()) + "; nothing was read", null);
          }
          Schema.Builder b = Schema.builder().addFields(r.columns(Set.of()));
          KafkaColumns.addTo(b);
          return new InputSchema(input, b.build(), r.reader().toString(), r.writers(), fail);
        }
      case InputConfig.JSON:
        return new InputSchema(input, JsonValueDecoder.schema(input), null, Map.of(), fail);
      default:
        if (!input.columnsFromRegistry()) {
          return new InputSchema(input, CloudEventSchema.of(input), null, Map.of(), fail);
        }
        Registered r = Registered.of(input, input.valueSubject());
        if (r == null) {
          LOG.warn(
              "{}; the events' data is read as JSON text", noSubject(input, input.valueSubject()));
          return new InputSchema(input, CloudEventSchema.of(input), null, Map.of(), fail);
        }
        List<Schema.Field> dataColumns = r.columns(CloudEventSchema.of(input).getFields());
        Schema rows = CloudEventSchema.of(input, dataColumns);
        return new InputSchema(input, rows, r.reader().toString(), r.writers(), fail);
    }
  }

  /** The same input with {@code _kafka_key} a struct of the key subject's fields. */
  private InputSchema withAvroKeys() {
    Registered keys = Registered.of(config, config.keySubject());
    if (keys == null) {
      throw new RunFailure(noSubject(config, config.keySubject()) + "; nothing was read", null);
    }
    Schema keyRow = AvroRows.beamSchema(keys.reader(), "_kafka_key.");
    InputSchema out =
        new InputSchema(
            config,
            KafkaColumns.withKeyType(rows, Schema.FieldType.row(keyRow)),
            avroReaderSchema,
            knownWriterSchemas,
            failOnMismatch);
    out.keyReaderSchema = keys.reader().toString();
    out.knownKeySchemas = keys.writers();
    return out;
  }

  private static String noSubject(InputConfig input, String subject) {
    return "the schema registry at "
        + input.schemaRegistryUrl()
        + " has no schema under subject "
        + subject
        + ": produce with a registry serializer first (it registers the schema), or name the"
        + " subject with inputs[].options.subject";
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
      default -> cloudEventDecoder();
    };
  }

  private RecordDecoder cloudEventDecoder() {
    if (avroReaderSchema != null) {
      return new CloudEventDecoder(config, rows, new AvroValues(this));
    }
    if (config.schemaRegistryUrl() != null && !config.schemaRegistryUrl().isBlank()) {
      // declared data fields: Avro data fills them by name, as JSON data does
      return new CloudEventDecoder(
          config, rows, new AvroValues(this), new AvroDataFields(config.dataFields(), rows));
    }
    return new CloudEventDecoder(config);
  }

  /** A reader of Avro keys ({@code keyFormat: avro}); null when keys stay bytes. */
  AvroValues keys() {
    return keyReaderSchema == null ? null : new AvroValues(this, keyReaderSchema, knownKeySchemas);
  }

  /** Whether the columns come from the registry's schema versions. */
  public boolean avroColumns() {
    return avroReaderSchema != null;
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
