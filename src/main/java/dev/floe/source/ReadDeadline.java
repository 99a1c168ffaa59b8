package dev.floe.source;

import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Stops reading once a batch has read for {@code maxReadTime}, counted from the reader's first
 * check (not from graph construction, which includes SQL planning). A reader then ends its range
 * after the poll under way; the offsets to commit come from the records read.
 */
final class ReadDeadline implements SerializableFunction<TopicPartition, Boolean> {
  private final long maxReadMillis;
  private transient volatile long deadline;

  ReadDeadline(long maxReadMillis) {
    this.maxReadMillis = maxReadMillis;
  }

  @Override
  public Boolean apply(TopicPartition partition) {
    long now = System.currentTimeMillis();
    if (deadline == 0) {
      synchronized (this) {
        if (deadline == 0) {
          deadline = now + maxReadMillis;
        }
      }
    }
    return now >= deadline;
  }
}
