package dev.floe.sink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka offsets as stored in a snapshot summary: {@code {"topic": {"partition": next-offset}}},
 * where next-offset is the first offset not yet in the table.
 */
public final class OffsetsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OffsetsJson() {}

  public static String write(Map<String, Map<Integer, Long>> offsets) {
    Map<String, Map<Integer, Long>> sorted = new TreeMap<>();
    offsets.forEach((topic, parts) -> sorted.put(topic, new TreeMap<>(parts)));
    return json(sorted);
  }

  /** Any value as JSON, for other summary entries. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, Map<Integer, Long>> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Map<Integer, Long>>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("floe.kafka.offsets is not valid JSON: " + json, e);
    }
  }
}
