package dev.floe.config;

import java.time.Instant;

/**
 * Where a pipeline's first run starts reading a partition: earliest, latest, or the first offset
 * whose Kafka timestamp is at or after an instant.
 */
public record StartingOffsets(Kind kind, Instant instant) implements java.io.Serializable {

  /** The three forms of {@code startingOffsets}. */
  public enum Kind {
    EARLIEST,
    LATEST,
    TIMESTAMP
  }

  public static final StartingOffsets EARLIEST = new StartingOffsets(Kind.EARLIEST, null);
  public static final StartingOffsets LATEST = new StartingOffsets(Kind.LATEST, null);

  @Override
  public String toString() {
    return kind == Kind.TIMESTAMP
        ? instant.toString()
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
