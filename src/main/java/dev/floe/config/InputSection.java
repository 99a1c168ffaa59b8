package dev.floe.config;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a pipeline's {@code inputs[0]}: the Kafka topic, its options and the data's fields. */
final class InputSection {
  private InputSection() {}

  static InputConfig read(Cursor c) {
    Map<String, Cursor> f =
        c.fields(
            "name",
            "format",
            "kafka",
            "isStream",
            "options",
            "schemaRegistryUrl",
            "data",
            "maxValueBytes");
    String name =
        Cursor.required(c, f, "name", "the name steps use in FROM, e.g. input_cloudevents");
    String format = Cursor.optional(f, "format", InputConfig.CLOUDEVENTS);
    if (!List.of(InputConfig.CLOUDEVENTS, InputConfig.AVRO, InputConfig.JSON).contains(format)) {
      f.get("format")
          .error(
              "'"
                  + format
                  + "' is not a supported format; use cloudevents (CloudEvents in JSON), avro"
                  + " (Avro values in the schema registry's wire format) or json (JSON objects"
                  + " with fields declared under data.fields)");
    }
    if (f.containsKey("isStream") && f.get("isStream").bool()) {
      f.get("isStream")
          .error(
              "Floe reads the input as bounded batches; set isStream: false and choose batches with"
                  + " streaming.triggerMode");
    }
    String bootstrap = null;
    String topic = null;
    Map<String, String> consumer = new LinkedHashMap<>();
    Map<String, String> registryProperties = new LinkedHashMap<>();
    String subject = null;
    boolean avroKeys = false;
    if (!f.containsKey("kafka")) {
      c.error("missing required key 'kafka' (bootstrapServers, topic)");
    } else {
      Cursor kafka = f.get("kafka");
      Map<String, Cursor> k = kafka.fields("bootstrapServers", "topic", "properties");
      bootstrap =
          Cursor.required(kafka, k, "bootstrapServers", "e.g. ${KAFKA_BOOTSTRAP:-localhost:9092}");
      topic = Cursor.required(kafka, k, "topic", "e.g. ${KAFKA_TOPIC:-cloudevents}");
      if (k.containsKey("properties")) {
        consumer.putAll(k.get("properties").stringMap());
      }
    }
    StartingOffsets starting = StartingOffsets.EARLIEST;
    boolean failOnDataLoss = true;
    boolean deadLetterTombstones = false;
    if (f.containsKey("options")) {
      for (Map.Entry<String, Cursor> o : f.get("options").entries().entrySet()) {
        if (o.getKey().equals("startingOffsets")) {
          starting = startingOffsets(o.getValue());
        } else if (o.getKey().equals("failOnDataLoss")) {
          failOnDataLoss = o.getValue().bool();
        } else if (o.getKey().equals("tombstones")) {
          String t = o.getValue().text();
          if ("dead-letter".equals(t)) {
            deadLetterTombstones = true;
          } else if (!"skip".equals(t)) {
            o.getValue()
                .error(
                    "'"
                        + t
                        + "' is not a way to handle tombstones (records with a null"
                        + " value); use skip (count them, write nothing: the default) or dead-letter");
          }
        } else if (o.getKey().equals("subject")) {
          subject = o.getValue().text();
        } else if (o.getKey().equals("keyFormat")) {
          String k = o.getValue().text();
          avroKeys = "avro".equals(k);
          if (!avroKeys && !"bytes".equals(k)) {
            o.getValue()
                .error(
                    "'"
                        + k
                        + "' is not a key format; use bytes (the key as it is, in _kafka_key: the"
                        + " default) or avro (registry wire format: _kafka_key is a struct of the"
                        + " key schema's fields, subject <topic>-key)");
          }
        } else if (o.getKey().startsWith("kafka.")) {
          consumer.put(o.getKey().substring("kafka.".length()), o.getValue().text());
        } else if (o.getKey().startsWith("registry.")) {
          registryProperties.put(o.getKey().substring("registry.".length()), o.getValue().text());
        } else {
          String near =
              Cursor.nearest(
                  o.getKey(),
                  List.of(
                      "startingOffsets", "failOnDataLoss", "tombstones", "subject", "keyFormat"));
          o.getValue()
              .error(
                  "unknown option; "
                      + (near == null ? "" : "did you mean '" + near + "'? ")
                      + "options are startingOffsets, failOnDataLoss, tombstones, subject,"
                      + " keyFormat, kafka.<consumer property> and registry.<schema registry"
                      + " setting>");
        }
      }
    }
    String registry = f.containsKey("schemaRegistryUrl") ? f.get("schemaRegistryUrl").text() : null;
    if (InputConfig.AVRO.equals(format) || avroKeys) {
      if (registry == null || registry.isBlank()) {
        (f.containsKey("schemaRegistryUrl") ? f.get("schemaRegistryUrl") : c)
            .error(
                "format avro and keyFormat avro need schemaRegistryUrl: the registry's"
                    + " Confluent-compatible base"
                    + " URL, e.g. http://registry:8081 or, for Apicurio,"
                    + " http://registry:8080/apis/ccompat/v7");
      }
      if (InputConfig.AVRO.equals(format) && f.containsKey("data")) {
        f.get("data")
            .error("Avro values bring their own fields (the subject's schema); remove data");
      }
    } else if (registry != null && !registry.isBlank() && InputConfig.JSON.equals(format)) {
      f.get("schemaRegistryUrl")
          .warn(
              "not used: JSON values carry their own structure; the fields are declared under"
                  + " data.fields");
    }
    if (InputConfig.JSON.equals(format)
        && !(f.containsKey("data") && f.get("data").entries().containsKey("fields"))) {
      c.error(
          "format json needs the values' fields under data.fields, e.g. data: {fields: {deviceId:"
              + " string, temperature: double}}");
    }
    long maxValueBytes = InputConfig.DEFAULT_MAX_VALUE_BYTES;
    if (f.containsKey("maxValueBytes")) {
      Long v = f.get("maxValueBytes").positiveLong();
      maxValueBytes = v == null ? maxValueBytes : v;
    }
    LinkedHashMap<String, FieldType> fields = new LinkedHashMap<>();
    boolean keepJson = true;
    if (f.containsKey("data")) {
      Map<String, Cursor> d = f.get("data").fields("fields", "keepJson");
      if (d.containsKey("fields")) {
        for (Map.Entry<String, Cursor> e : d.get("fields").entries().entrySet()) {
          FieldType type = Cursor.fieldType(e.getValue());
          if (InputConfig.CLOUDEVENTS.equals(format)
              && CloudEventColumns.ALL.contains(e.getKey())) {
            e.getValue()
                .error(
                    "'"
                        + e.getKey()
                        + "' is already a column of every CloudEvent; rename it with SQL");
          } else if (type != null) {
            fields.put(e.getKey(), type);
          }
        }
      }
      keepJson = !d.containsKey("keepJson") || d.get("keepJson").bool();
    }
    Secrets.remember(consumer);
    Secrets.remember(registryProperties);
    return new InputConfig(
        name,
        format,
        bootstrap,
        topic,
        Map.copyOf(consumer),
        starting,
        registry,
        fields,
        keepJson,
        failOnDataLoss,
        maxValueBytes,
        deadLetterTombstones,
        subject,
        Map.copyOf(registryProperties),
        avroKeys);
  }

  private static StartingOffsets startingOffsets(Cursor c) {
    String t = c.text();
    if ("earliest".equalsIgnoreCase(t)) {
      return StartingOffsets.EARLIEST;
    }
    if ("latest".equalsIgnoreCase(t)) {
      return StartingOffsets.LATEST;
    }
    try {
      Instant at = OffsetDateTime.parse(t).toInstant();
      return new StartingOffsets(StartingOffsets.Kind.TIMESTAMP, at);
    } catch (DateTimeParseException | NullPointerException e) {
      c.error(
          "'" + t + "' is not earliest, latest or an RFC 3339 time such as 2026-11-24T00:00:00Z");
      return StartingOffsets.EARLIEST;
    }
  }
}
