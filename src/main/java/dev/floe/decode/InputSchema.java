package dev.floe.decode;

import dev.floe.config.CloudEventColumns;
import dev.floe.config.InputConfig;
import dev.floe.config.SinkConfig.SchemaEvolution;
import dev.floe.errors.RunFailure;
import dev.floe.registry.SchemaRegistry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    switch (input.format()) {
      case InputConfig.AVRO:
        {
          Registered r = Registered.of(input);
          if (r == null) {
            throw new RunFailure(noSubject(input) + "; nothing was read", null);
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
        Registered r = Registered.of(input);
        if (r == null) {
          LOG.warn("{}; the events' data is read as JSON text", noSubject(input));
          return new InputSchema(input, CloudEventSchema.of(input), null, Map.of(), fail);
        }
        Schema rows = CloudEventSchema.of(input, r.columns(CloudEventSchema.of(input).getFields()));
        return new InputSchema(input, rows, r.reader().toString(), r.writers(), fail);
    }
  }

  private static String noSubject(InputConfig input) {
    return "the schema registry at "
        + input.schemaRegistryUrl()
        + " has no schema under subject "
        + input.valueSubject()
        + ": produce with a registry serializer first (it registers the schema), or name the"
        + " subject with inputs[].options.subject";
  }

  /** The reader schema of a subject's versions, and the versions' schemas by id. */
  private record Registered(
      String subject, org.apache.avro.Schema reader, Map<Integer, String> writers) {
    /** The subject's versions merged; null when nothing is registered under it. */
    static Registered of(InputConfig input) {
      String subject = input.valueSubject();
      org.apache.avro.Schema reader = null;
      Map<Integer, String> writers = new TreeMap<>();
      for (SchemaRegistry.Version v : registry(input).versions(subject)) {
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
                  + " schema; Floe reads Avro records (each field a column)",
              null);
        }
        reader = reader == null ? AvroSchemas.readerOf(written) : merged(reader, written, v);
      }
      return reader == null ? null : new Registered(subject, reader, Map.copyOf(writers));
    }

    private static org.apache.avro.Schema merged(
        org.apache.avro.Schema reader, org.apache.avro.Schema written, SchemaRegistry.Version v) {
      try {
        AvroSchemas.Merged merged = AvroSchemas.merge(reader, written);
        if (!merged.changes().isEmpty()) {
          LOG.info(
              "subject {} version {} (schema id {}) {}",
              v.subject(),
              v.version(),
              v.id(),
              String.join(", ", merged.changes()));
        }
        return merged.schema();
      } catch (AvroSchemas.Mismatch e) {
        LOG.warn(
            "subject {} version {} (schema id {}): {}; its records are dead letters"
                + " (SCHEMA_MISMATCH)",
            v.subject(),
            v.version(),
            v.id(),
            e.getMessage());
        return reader;
      }
    }

    /**
     * The record's fields as columns; one whose name another column has ({@code taken}: a
     * CloudEvents attribute, {@code data}) is {@code data_<name>}. A Kafka column's name is
     * refused.
     */
    List<Schema.Field> columns(Collection<Schema.Field> taken) {
      Set<String> names = new HashSet<>();
      taken.forEach(f -> names.add(f.getName()));
      List<Schema.Field> out = new ArrayList<>();
      for (org.apache.avro.Schema.Field f : reader.getFields()) {
        if (CloudEventColumns.KAFKA.contains(f.name())) {
          throw new RunFailure(
              "subject "
                  + subject
                  + " has a field "
                  + f.name()
                  + ", a name Floe gives a Kafka metadata column; rename the field",
              null);
        }
        String name = names.contains(f.name()) ? "data_" + f.name() : f.name();
        Schema.FieldType type;
        try {
          type = AvroRows.beamType(f.schema(), f.name());
        } catch (IllegalArgumentException e) {
          throw new RunFailure("subject " + subject + ": " + e.getMessage(), e);
        }
        out.add(Schema.Field.of(name, type));
      }
      return out;
    }
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
