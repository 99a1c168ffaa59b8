package dev.floe.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka input.
 *
 * @param consumerProperties extra Kafka consumer properties (the {@code kafka.*} options)
 * @param dataFields the declared fields of the CloudEvents {@code data}, in order; empty when
 *     {@code data} stays a JSON string
 * @param keepDataJson whether the {@code data} JSON string column is kept next to declared fields
 * @param failOnDataLoss whether offsets deleted by retention before they were read stop the run
 *     (true) or are skipped and recorded (false)
 * @param maxValueBytes records with a larger value are dead letters (stored truncated to this)
 * @param subject the registry subject whose versions make the table's columns ({@code avro}); null:
 *     {@code <topic>-value}
 * @param registryProperties the schema registry client's settings ({@code registry.*} options:
 *     credentials, truststore)
 * @param avroKeys whether keys are Avro in the registry's wire format ({@code options.keyFormat:
 *     avro}): {@code _kafka_key} is then a struct of the key schema's fields
 */
public record InputConfig(
    String name,
    String format,
    String bootstrapServers,
    String topic,
    Map<String, String> consumerProperties,
    StartingOffsets startingOffsets,
    String schemaRegistryUrl,
    LinkedHashMap<String, FieldType> dataFields,
    boolean keepDataJson,
    boolean failOnDataLoss,
    long maxValueBytes,
    boolean deadLetterTombstones,
    String subject,
    Map<String, String> registryProperties,
    boolean avroKeys)
    implements java.io.Serializable {

  /** CloudEvents in JSON, structured or binary mode. */
  public static final String CLOUDEVENTS = "cloudevents";

  /** Avro values in the schema registry's wire format. */
  public static final String AVRO = "avro";

  /** Plain JSON objects with declared fields. */
  public static final String JSON = "json";

  /** An input with no registry settings. */
  public InputConfig(
      String name,
      String format,
      String bootstrapServers,
      String topic,
      Map<String, String> consumerProperties,
      StartingOffsets startingOffsets,
      String schemaRegistryUrl,
      LinkedHashMap<String, FieldType> dataFields,
      boolean keepDataJson,
      boolean failOnDataLoss,
      long maxValueBytes,
      boolean deadLetterTombstones) {
    this(
        name,
        format,
        bootstrapServers,
        topic,
        consumerProperties,
        startingOffsets,
        schemaRegistryUrl,
        dataFields,
        keepDataJson,
        failOnDataLoss,
        maxValueBytes,
        deadLetterTombstones,
        null,
        Map.of(),
        false);
  }

  /**
   * Whether the registry's schemas give the columns: always for {@code avro}; for {@code
   * cloudevents} when {@code schemaRegistryUrl} is set and no data fields are declared (else Avro
   * data fills the declared fields).
   */
  public boolean columnsFromRegistry() {
    boolean url = schemaRegistryUrl != null && !schemaRegistryUrl.isBlank();
    return AVRO.equals(format) || CLOUDEVENTS.equals(format) && url && dataFields.isEmpty();
  }

  /** The registry subject of the keys' schemas: {@code <topic>-key}. */
  public String keySubject() {
    return topic + "-key";
  }

  /** The registry subject of the values' schemas: {@code subject}, or {@code <topic>-value}. */
  public String valueSubject() {
    return subject != null ? subject : topic + "-value";
  }

  /** The default {@code maxValueBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_VALUE_BYTES = 1 << 20;
}
