package dev.floe.spec;

import java.time.Duration;

/**
 * How batches are cut: the reference's {@code streaming} block.
 *
 * @param checkpointLocation where an audit log of committed batches is appended; null for none
 * @param maxRecordsPerBatch cap on the records one batch reads; null for no cap
 * @param maxReadTime wall-clock cap on one batch's read; null for no cap
 */
public record StreamingSpec(
    Trigger triggerMode,
    String checkpointLocation,
    Long maxRecordsPerBatch,
    Duration maxReadTime) implements java.io.Serializable {

  /** When a run stops. */
  public enum Trigger {
    /** One batch of what is in the topic at launch, then stop. */
    ONCE,
    /** Batches until the end offsets seen at launch are reached, then stop. */
    AVAILABLE_NOW
  }
}
