package dev.floe.commit;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/** Walks a table's current snapshot ancestry, newest first. */
public final class Snapshots {
  private Snapshots() {}

  public static Iterable<Snapshot> ancestry(Table table) {
    Snapshot current = table.currentSnapshot();
    return current == null
        ? java.util.List.of()
        : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot);
  }

  /** The rows a snapshot added (Iceberg's {@code added-records}); 0 for null or none. */
  public static long addedRecords(Snapshot s) {
    return s == null
        ? 0
        : Long.parseLong(s.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"));
  }

  /** The snapshot in the current ancestry that committed {@code batchId}, or null. */
  public static Snapshot ofBatch(Table table, String batchId) {
    for (Snapshot s : ancestry(table)) {
      if (batchId.equals(s.summary().get(Committed.BATCH_ID))) {
        return s;
      }
    }
    return null;
  }
}
