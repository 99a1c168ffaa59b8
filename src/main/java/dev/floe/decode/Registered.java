package dev.floe.decode;

import dev.floe.config.CloudEventColumns;
import dev.floe.config.InputConfig;
import dev.floe.errors.RunFailure;
import dev.floe.registry.SchemaRegistry;
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
 * The reader schema of a registry subject's versions ({@link AvroSchemas}: the first, each later
 * one merged in; a version that cannot be merged is left out and logged), and the versions' schemas
 * by id.
 */
record Registered(String subject, org.apache.avro.Schema reader, Map<Integer, String> writers) {
  private static final Logger LOG = LoggerFactory.getLogger(Registered.class);

  /** The subject's versions merged; null when nothing is registered under it. */
  static Registered of(InputConfig input, String subject) {
    org.apache.avro.Schema reader = null;
    Map<Integer, String> writers = new TreeMap<>();
    for (SchemaRegistry.Version v :
        new SchemaRegistry(input.schemaRegistryUrl(), input.registryProperties())
            .versions(subject)) {
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
   * The record's fields as columns; one whose name another column has ({@code taken}: a CloudEvents
   * attribute, {@code data}) is {@code data_<name>}. A Kafka column's name is refused.
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
