package dev.floe.pipeline;

import dev.floe.commit.Committed;
import dev.floe.commit.Offsets;
import dev.floe.commit.Snapshots;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.plan.BatchPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Type;

/**
 * What a committed batch did, read back from the tables and the runner's metrics, and printed for
 * the user.
 */
final class BatchReport {
  private BatchReport() {}

  /** The batch as committed; null when the committer had nothing to commit. */
  static BatchResult summarize(BatchJob job, BatchPlan plan, Duration took, PipelineResult run) {
    long tombstonesSkipped = counter(run, "tombstones_skipped");
    Duration commit = Duration.ofMillis(commitMillis(run));
    Long oldest = distributionMin(run, "kafka_timestamp_millis");
    Table table = job.tableOrNull();
    Snapshot snapshot = Snapshots.ofBatch(table, plan.batchId());
    if (snapshot == null) {
      return null; // the read deadline came before any record
    }
    Map<String, Long> perPartition = new TreeMap<>();
    long rows = 0;
    for (DataFile f : snapshot.addedDataFiles(table.io())) {
      perPartition.merge(
          partitionLabel(table.specs().get(f.specId()), f.partition()), f.recordCount(), Long::sum);
      rows += f.recordCount();
    }
    long deadLetters = 0;
    Table dlq = job.deadLetterTableOrNull();
    if (dlq != null) {
      deadLetters = Snapshots.addedRecords(Snapshots.ofBatch(dlq, plan.batchId()));
    }
    return new BatchResult(
        plan,
        snapshot.snapshotId(),
        snapshot.summary(),
        Offsets.fromJson(snapshot.summary().get(Committed.OFFSETS)),
        rows,
        perPartition,
        deadLetters,
        DeadLetterCounts.fromSummary(snapshot.summary()),
        tombstonesSkipped,
        commit,
        took,
        Instant.ofEpochMilli(snapshot.timestampMillis()),
        oldest == null ? null : Instant.ofEpochMilli(oldest));
  }

  static void print(BatchResult r, PrintStream out) {
    out.printf(
        "  committed snapshot %d: %,d rows written, %,d dead letters%s, %.1f s"
            + " (commit %.1f s)%n",
        r.snapshotId(),
        r.rowsWritten(),
        r.deadLetters(),
        r.deadLettersByKind().isEmpty()
            ? ""
            : " (" + new DeadLetterCounts(r.deadLettersByKind(), List.of()).describe() + ")",
        r.took().toMillis() / 1000.0,
        r.commit().toMillis() / 1000.0);
    if (r.tombstonesSkipped() > 0) {
      out.printf("  %,d tombstones (null values) skipped%n", r.tombstonesSkipped());
    }
    r.rowsPerPartition().forEach((k, v) -> out.printf("    %-60s %,10d%n", k, v));
    out.printf("  committed offsets: %s%n", r.offsets());
  }

  /** A {@code floe} counter of a finished batch; 0 when the runner reports none. */
  static long counter(PipelineResult result, String name) {
    try {
      long sum = 0;
      for (var c :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named("floe", name))
                      .build())
              .getCounters()) {
        Long v = c.getAttempted();
        sum += v == null ? 0 : v;
      }
      return sum;
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }

  /** The commit step's time, from its {@code floe:commit_millis} distribution; 0 if unreported. */
  static long commitMillis(PipelineResult result) {
    try {
      long sum = 0;
      for (var d :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named("floe", "commit_millis"))
                      .build())
              .getDistributions()) {
        sum += d.getAttempted() == null ? 0 : d.getAttempted().getSum();
      }
      return sum;
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }

  /** The least value of a {@code floe} distribution; null when the runner reports none. */
  static Long distributionMin(PipelineResult result, String name) {
    try {
      Long min = null;
      for (var d :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named("floe", name))
                      .build())
              .getDistributions()) {
        var value = d.getAttempted();
        if (value != null && value.getCount() > 0) {
          min = min == null ? value.getMin() : Math.min(min, value.getMin());
        }
      }
      return min;
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** A partition as people read it: {@code source=/sensors/a, hour=2026-11-24-10}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static String partitionLabel(PartitionSpec spec, StructLike partition) {
    if (spec.isUnpartitioned()) {
      return "(unpartitioned)";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < spec.fields().size(); i++) {
      PartitionField field = spec.fields().get(i);
      Type type = spec.partitionType().fields().get(i).type();
      Transform transform = field.transform();
      Object value = partition.get(i, Object.class);
      parts.add(field.name() + "=" + transform.toHumanString(type, value));
    }
    return String.join(", ", parts);
  }
}
