package dev.floe.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns every CloudEvents input has, in order: the context attributes that are columns of
 * their own, {@code extensions} (a map of the other attributes), {@code data} (the data as JSON
 * text, unless declared fields replace it) and the Kafka metadata. The decoder builds its rows from
 * these names; the loader keeps declared data fields from taking one of them.
 */
public final class CloudEventColumns {
  /** The context attributes that are columns of their own, in column order. */
  public static final List<String> ATTRIBUTES =
      List.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "datacontenttype",
          "dataschema",
          "subject");

  /** The map of every other attribute. */
  public static final String EXTENSIONS = "extensions";

  /** The data as JSON text. */
  public static final String DATA = "data";

  /** Where a record came from, in column order: topic, partition, offset, timestamp, key. */
  public static final List<String> KAFKA =
      List.of(
          "_kafka_topic", "_kafka_partition", "_kafka_offset", "_kafka_timestamp", "_kafka_key");

  /** All of them, in column order (declared data fields come after {@code data}). */
  public static final List<String> ALL = all();

  private CloudEventColumns() {}

  private static List<String> all() {
    List<String> all = new ArrayList<>(ATTRIBUTES);
    all.add(EXTENSIONS);
    all.add(DATA);
    all.addAll(KAFKA);
    return List.copyOf(all);
  }
}
