package dev.floe.pipeline;

import dev.floe.commit.Committed;
import dev.floe.config.MaintenanceConfig;
import dev.floe.maintain.TableMaintenance;
import java.io.PrintStream;
import java.time.Duration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outputOptions.maintenance}: after a commit, the run maintains its tables once the pipeline
 * has committed {@code everyCommits} batches since the last maintenance. The count is kept in the
 * table (the snapshot maintenance last finished at), so a pipeline scheduled once a minute is
 * maintained as often as one that runs for hours. A maintenance that fails is logged and leaves the
 * committed batch as it is; the next commit tries again.
 */
final class ScheduledMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledMaintenance.class);

  /** Table property: the snapshot the last maintenance left current. */
  static final String MAINTAINED_AT = "floe.maintained-at-snapshot";

  private ScheduledMaintenance() {}

  static void afterCommit(BatchJob job, PrintStream out) {
    MaintenanceConfig m = job.config().sink().maintenance();
    if (m == null) {
      return;
    }
    Table table = job.tableOrNull();
    if (table == null) {
      return;
    }
    long commits = commitsSinceMaintenance(table, job.config().name());
    if (commits < m.everyCommits()) {
      return;
    }
    LOG.info("{}: {} commits since the last maintenance; maintaining", table.name(), commits);
    TableMaintenance.Settings settings =
        TableMaintenance.Settings.of(m.minInputFiles(), Duration.ofMinutes(m.olderThanMinutes()));
    try {
      for (Table t : job.tables().existing()) {
        out.println("maintenance: " + TableMaintenance.run(t, settings).describe());
      }
      table.refresh();
      table
          .updateProperties()
          .set(MAINTAINED_AT, String.valueOf(table.currentSnapshot().snapshotId()))
          .commit();
    } catch (RuntimeException e) {
      out.println("warning: maintenance failed, the batch stays committed: " + e.getMessage());
      LOG.warn("{}: maintenance failed; the batch stays committed", table.name(), e);
    }
  }

  /** The pipeline's snapshots newer than the one maintenance last left current. */
  static long commitsSinceMaintenance(Table table, String pipelineId) {
    String maintained = table.properties().get(MAINTAINED_AT);
    long commits = 0;
    Snapshot s = table.currentSnapshot();
    while (s != null && !String.valueOf(s.snapshotId()).equals(maintained)) {
      if (pipelineId.equals(s.summary().get(Committed.PIPELINE_ID))) {
        commits++;
      }
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    return commits;
  }
}
