package dev.floe.pipeline;

import dev.floe.plan.BatchPlan;
import dev.floe.sink.Committed;
import dev.floe.sink.OffsetsJson;
import dev.floe.sink.Snapshots;
import dev.floe.transform.DeadLetterCounts;
import dev.floe.source.KafkaRange;
import dev.floe.spec.PipelineSpec;
import dev.floe.spec.StreamingSpec.Trigger;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Type;

/**
 * Runs a pipeline: one batch ({@code Once}) or batches until the end offsets seen at launch
 * ({@code AvailableNow}), each planned, read, written and committed before the next; prints
 * progress and a summary of each batch.
 */
public final class Runs {
  private Runs() {}

  public static List<BatchResult> run(
      PipelineSpec spec, Trigger trigger, Supplier<PipelineOptions> options, PrintStream out) {
    BatchJob job = new BatchJob(spec);
    Map<Integer, Long> stopAt = trigger == Trigger.AVAILABLE_NOW ? job.endOffsets() : null;
    List<BatchResult> results = new ArrayList<>();
    while (true) {
      BatchPlan plan = job.plan(stopAt);
      if (plan.isEmpty() && plan.previousBatchId() == null && plan.committed().isEmpty()) {
        var snapshot = job.commitStartingOffsets(plan);
        out.printf("%s: nothing to read yet from startingOffsets %s; committed the starting"
                + " offsets %s (snapshot %d): the next run reads what arrives after them%n",
            spec.name(), spec.input().startingOffsets(), plan.offsetsAfter(),
            snapshot.snapshotId());
        return results;
      }
      if (plan.isEmpty()) {
        out.printf("%s: nothing new to read in %s (committed offsets %s)%n",
            spec.name(), spec.input().topic(), plan.offsetsAfter());
        return results;
      }
      out.printf("%s: batch %d (%s): reading %,d records of %s:%s%n",
          spec.name(), results.size() + 1, plan.batchId(), plan.records(),
          spec.input().topic(), describe(plan));
      long started = System.nanoTime();
      Pipeline p = Pipeline.create(options.get());
      job.build(p, plan);
      PipelineResult running = p.run();
      if (running.getClass().getSimpleName().equals("DataflowTemplateJob")) {
        // --templateLocation: Dataflow wrote the job spec instead of running it
        out.printf("%s: batch %d was written as a Dataflow template (templateLocation); it did"
                + " not run and nothing was committed%n", spec.name(), results.size() + 1);
        return results;
      }
      PipelineResult.State state = running.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the runner ended batch " + plan.batchId() + " in state "
            + state + " instead of DONE; whatever it committed stays committed, and the next run"
            + " continues from the committed offsets");
      }
      BatchResult result = summarize(job, plan, Duration.ofNanos(System.nanoTime() - started),
          counter(running, "tombstones_skipped"), Duration.ofMillis(commitMillis(running)));
      if (result == null) {
        out.printf("%s: maxReadTime %s passed before any record was read; nothing committed%n",
            spec.name(), spec.streaming().maxReadTime());
        return results;
      }
      results.add(result);
      print(result, out);
      if (spec.streaming().checkpointLocation() != null) {
        try {
          AuditLog.append(spec.streaming().checkpointLocation(), spec.name(),
              job.tableId().toString(), result);
        } catch (UncheckedIOException e) {
          out.println("warning: the batch is committed, but " + e.getMessage() + ": "
              + e.getCause());
        }
      }
      if (trigger == Trigger.ONCE) {
        return results;
      }
    }
  }

  static String describe(BatchPlan plan) {
    StringBuilder b = new StringBuilder();
    for (KafkaRange r : plan.ranges()) {
      b.append(String.format(" p%d[%d,%d)", r.partition(), r.from(), r.to()));
    }
    return b.toString();
  }

  /** A {@code floe} counter of a finished batch; 0 when the runner reports none. */
  static long counter(PipelineResult result, String name) {
    try {
      long sum = 0;
      for (var c : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named("floe", name)).build()).getCounters()) {
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
      for (var d : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named("floe", "commit_millis")).build())
          .getDistributions()) {
        sum += d.getAttempted() == null ? 0 : d.getAttempted().getSum();
      }
      return sum;
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }

  private static BatchResult summarize(
      BatchJob job, BatchPlan plan, Duration took, long tombstonesSkipped, Duration commit) {
    Table table = job.tableOrNull();
    Snapshot snapshot = Snapshots.ofBatch(table, plan.batchId());
    if (snapshot == null) {
      return null; // the committer had nothing to commit: the read deadline came first
    }
    Map<String, Long> perPartition = new TreeMap<>();
    long rows = 0;
    for (DataFile f : snapshot.addedDataFiles(table.io())) {
      perPartition.merge(partitionLabel(table.specs().get(f.specId()), f.partition()),
          f.recordCount(), Long::sum);
      rows += f.recordCount();
    }
    long deadLetters = 0;
    Table dlq = job.deadLetterTableOrNull();
    if (dlq != null) {
      Snapshot d = Snapshots.ofBatch(dlq, plan.batchId());
      deadLetters = d == null ? 0 : Long.parseLong(d.summary().getOrDefault("added-records", "0"));
    }
    return new BatchResult(plan, snapshot.snapshotId(), snapshot.summary(),
        OffsetsJson.read(snapshot.summary().get(Committed.OFFSETS)), rows, perPartition,
        deadLetters, DeadLetterCounts.fromSummary(snapshot.summary()), tombstonesSkipped, commit,
        took);
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

  private static void print(BatchResult r, PrintStream out) {
    out.printf("  committed snapshot %d: %,d rows written, %,d dead letters%s, %.1f s"
            + " (commit %.1f s)%n",
        r.snapshotId(), r.rowsWritten(), r.deadLetters(),
        r.deadLettersByKind().isEmpty() ? ""
            : " (" + new DeadLetterCounts(r.deadLettersByKind(), List.of()).describe() + ")",
        r.took().toMillis() / 1000.0, r.commit().toMillis() / 1000.0);
    if (r.tombstonesSkipped() > 0) {
      out.printf("  %,d tombstones (null values) skipped%n", r.tombstonesSkipped());
    }
    r.rowsPerPartition().forEach((k, v) -> out.printf("    %-60s %,10d%n", k, v));
    out.printf("  committed offsets: %s%n", r.offsets());
  }
}
