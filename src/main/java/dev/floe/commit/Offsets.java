package dev.floe.commit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Kafka offsets per topic and partition: the next offset to read, that is the first offset not yet
 * in the table. Stored in a snapshot summary as {@code {"topic": {"partition": next-offset}}}.
 * Immutable.
 */
public final class Offsets implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No offsets: a pipeline that never committed. */
  public static final Offsets NONE = new Offsets(new TreeMap<>());

  private final SortedMap<String, SortedMap<Integer, Long>> byTopic;

  private Offsets(SortedMap<String, SortedMap<Integer, Long>> byTopic) {
    this.byTopic = byTopic;
  }

  /** The offsets of a map of topic to partition to next offset. */
  public static Offsets of(Map<String, ? extends Map<Integer, Long>> offsets) {
    SortedMap<String, SortedMap<Integer, Long>> copy = new TreeMap<>();
    offsets.forEach((topic, parts) -> copy.put(topic, new TreeMap<>(parts)));
    return new Offsets(copy);
  }

  /** Reads the JSON form ({@code floe.kafka.offsets}). */
  public static Offsets fromJson(String json) {
    try {
      return of(JSON.readValue(json, new TypeReference<Map<String, Map<Integer, Long>>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("floe.kafka.offsets is not valid JSON: " + json, e);
    }
  }

  /** The JSON form, topics and partitions in order. */
  public String toJson() {
    return json(byTopic);
  }

  /** Any value as JSON, for other snapshot summary entries. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next offset of a partition; null when these offsets do not hold it. */
  public Long next(String topic, int partition) {
    SortedMap<Integer, Long> parts = byTopic.get(topic);
    return parts == null ? null : parts.get(partition);
  }

  /** The partitions of {@code topic} and their next offsets; empty for a topic not held. */
  public Map<Integer, Long> partitions(String topic) {
    SortedMap<Integer, Long> parts = byTopic.get(topic);
    return parts == null ? Map.of() : Collections.unmodifiableSortedMap(parts);
  }

  /** These offsets with {@code partition} of {@code topic} at {@code next}. */
  public Offsets with(String topic, int partition, long next) {
    SortedMap<String, SortedMap<Integer, Long>> copy = new TreeMap<>();
    byTopic.forEach((t, parts) -> copy.put(t, new TreeMap<>(parts)));
    copy.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, next);
    return new Offsets(copy);
  }

  public boolean isEmpty() {
    return byTopic.isEmpty();
  }

  /** Topic to partition to next offset, as a read-only map. */
  public Map<String, Map<Integer, Long>> asMap() {
    return Collections.unmodifiableMap(byTopic);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Offsets other && byTopic.equals(other.byTopic);
  }

  @Override
  public int hashCode() {
    return byTopic.hashCode();
  }

  /** As people read them: {@code {cloudevents={0=120, 1=118}}}. */
  @Override
  public String toString() {
    return byTopic.toString();
  }
}
