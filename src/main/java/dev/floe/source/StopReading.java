package dev.floe.source;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * When a continuous read stops: once a run in this JVM is asked to ({@link #request}, on SIGTERM or
 * SIGINT), or at a wall-clock deadline ({@code maxReadTime}). A stopped read lets the windows under
 * way fire and commit, and the job then ends by itself. On a cluster the request does not reach the
 * workers; the deadline does.
 */
public final class StopReading implements SerializableFunction<TopicPartition, Boolean> {
  private static final AtomicBoolean REQUESTED = new AtomicBoolean();

  private final Long deadlineMillis;

  /**
   * @param deadlineMillis when to stop, in epoch milliseconds; null for no deadline
   */
  public StopReading(Long deadlineMillis) {
    this.deadlineMillis = deadlineMillis;
  }

  /** Asks every continuous read in this JVM to stop. */
  public static void request() {
    REQUESTED.set(true);
  }

  /** Forgets a request: for the next continuous run in this JVM (tests run several). */
  public static void reset() {
    REQUESTED.set(false);
  }

  @Override
  public Boolean apply(TopicPartition partition) {
    return REQUESTED.get()
        || (deadlineMillis != null && System.currentTimeMillis() >= deadlineMillis);
  }
}
