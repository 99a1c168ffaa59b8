package dev.floe.source;

import java.io.Serializable;

/**
 * The offsets of one topic partition a batch reads: {@code [from, to)}, where {@code to} is at most
 * the partition's end offset at launch.
 */
public record KafkaRange(String topic, int partition, long from, long to) implements Serializable {
  public long count() {
    return to - from;
  }
}
