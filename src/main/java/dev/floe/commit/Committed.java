package dev.floe.commit;

import java.io.Serializable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What a pipeline has committed to a table: the newest batch in the table's current ancestry and
 * the Kafka offsets it stored. {@link #NONE} for a pipeline that never committed.
 *
 * @param batchId the newest batch still in the snapshot history; null when none is (never
 *     committed, or its snapshot expired)
 * @param offsets next offset to read per topic and partition
 */
public record Committed(String batchId, Long snapshotId, Offsets offsets) implements Serializable {
  public static final String PIPELINE_ID = "floe.pipeline-id";
  public static final String BATCH_ID = "floe.batch-id";
  public static final String OFFSETS = "floe.kafka.offsets";

  /** Table property prefix: offsets survive the expiry of the snapshot that carried them. */
  public static final String OFFSETS_PROPERTY = "floe.kafka.offsets.";

  public static final Committed NONE = new Committed(null, null, Offsets.NONE);

  /** Reads a pipeline's committed offsets from a table. */
  public static Committed of(Table table, String pipelineId) {
    Snapshot newest = newestOf(table, pipelineId);
    if (newest != null) {
      return new Committed(
          newest.summary().get(BATCH_ID),
          newest.snapshotId(),
          Offsets.fromJson(newest.summary().get(OFFSETS)));
    }
    // the snapshot that carried them expired: the property written in the same commit has them
    String property = table.properties().get(OFFSETS_PROPERTY + pipelineId);
    return property == null ? NONE : new Committed(null, null, Offsets.fromJson(property));
  }

  /** The newest snapshot in the current ancestry committed by the pipeline, or null. */
  static Snapshot newestOf(Table table, String pipelineId) {
    return newestOf(Snapshots.ancestry(table), pipelineId);
  }

  static Snapshot newestOf(Iterable<Snapshot> ancestry, String pipelineId) {
    for (Snapshot s : ancestry) {
      if (pipelineId.equals(s.summary().get(PIPELINE_ID))) {
        return s;
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return offsets.isEmpty();
  }
}
