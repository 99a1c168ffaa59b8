package dev.floe.spec;

import java.util.LinkedHashMap;
import java.util.List;
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
 */
public record InputSpec(
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
    boolean deadLetterTombstones) implements java.io.Serializable {

  /**
   * The columns a CloudEvents input always has, in order: the context attributes, {@code
   * extensions} (a map of the other attributes), {@code data} (JSON text, unless declared fields
   * replace it) and the Kafka metadata.
   */
  /** The default {@code maxValueBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_VALUE_BYTES = 1 << 20;

  public static final List<String> CLOUDEVENTS_COLUMNS =
      List.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "datacontenttype",
          "dataschema",
          "subject",
          "extensions",
          "data",
          "_kafka_topic",
          "_kafka_partition",
          "_kafka_offset",
          "_kafka_timestamp",
          "_kafka_key");
}
