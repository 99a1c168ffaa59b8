package dev.floe.commit;

import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps dead letters the dead-letter table does not hold yet. The dead-letter table commits before
 * the target table, so after a crash between the two commits the rerun reads the same records
 * again; their dead letters are already there and are dropped here. A dead letter without a
 * position (a SQL step that dropped the Kafka columns) is kept.
 */
public final class NotYetCommitted implements SerializableFunction<Row, Boolean> {
  private final Offsets committed;

  /**
   * @param committed the dead-letter table's committed offsets
   */
  public NotYetCommitted(Offsets committed) {
    this.committed = committed;
  }

  @Override
  public Boolean apply(Row deadLetter) {
    String topic = deadLetter.getString("topic");
    Integer partition = deadLetter.getInt32("partition");
    Long offset = deadLetter.getInt64("offset");
    if (topic == null || partition == null || offset == null) {
      return true;
    }
    Long next = committed.next(topic, partition);
    return next == null || offset >= next;
  }
}
