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
    boolean deadLetterTombstones)
    implements java.io.Serializable {

  /** The default {@code maxValueBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_VALUE_BYTES = 1 << 20;
}
