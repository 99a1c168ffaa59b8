package dev.floe.config;

import java.time.Duration;
import java.util.Locale;

/**
 * How batches are cut: the reference's {@code streaming} block.
 *
 * @param checkpointLocation where an audit log of committed batches is appended; null for none
 * @param maxRecordsPerBatch cap on the records one batch reads; null for no cap
 * @param maxReadTime wall-clock cap on reading: one batch's read (Once, AvailableNow), or the whole
 *     run's (ProcessingTime); null for no cap
 * @param triggerDuration how often a continuous run commits a window (ProcessingTime); null
 *     otherwise
 */
public record StreamingConfig(
    Trigger triggerMode,
    String checkpointLocation,
    Long maxRecordsPerBatch,
    Duration maxReadTime,
    Duration triggerDuration)
    implements java.io.Serializable {

  /** A batch trigger ({@code Once}) with nothing else set. */
  public static StreamingConfig once() {
    return new StreamingConfig(Trigger.ONCE, null, null, null, null);
  }

  /** Whether the run keeps going, committing a window every {@code triggerDuration}. */
  public boolean continuous() {
    return triggerMode == Trigger.PROCESSING_TIME;
  }

  /** When a run stops. */
  public enum Trigger {
    /** One batch of what is in the topic at launch, then stop. */
    ONCE("Once"),
    /** Batches until the end offsets seen at launch are reached, then stop. */
    AVAILABLE_NOW("AvailableNow"),
    /**
     * Continuous: what arrives is committed as one window every {@code triggerDuration}, until the
     * run is stopped (SIGTERM, SIGINT) or {@code maxReadTime} has passed.
     */
    PROCESSING_TIME("ProcessingTime");

    /** The choices, for messages about a value that is none of them. */
    public static final String CHOICES = "Once, AvailableNow or ProcessingTime";

    private final String configName;

    Trigger(String configName) {
      this.configName = configName;
    }

    /**
     * The name as a pipeline file writes it (Spark's spelling): {@code Once}, {@code AvailableNow}.
     */
    public String configName() {
      return configName;
    }

    /**
     * The trigger {@code text} names, in any case and with or without dashes or underscores ({@code
     * Once}, {@code available-now}, {@code AVAILABLE_NOW}); null when it names none.
     */
    public static Trigger parse(String text) {
      String key = text.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
      for (Trigger t : values()) {
        if (t.configName.toLowerCase(Locale.ROOT).equals(key)) {
          return t;
        }
      }
      return null;
    }
  }
}
