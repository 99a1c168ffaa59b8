package dev.floe.cli;

import dev.floe.pipeline.BatchJob;
import dev.floe.pipeline.Steps;
import dev.floe.plan.BatchPlan;
import dev.floe.sink.IcebergSchemas;
import dev.floe.source.KafkaRange;
import dev.floe.spec.PipelineSpec;
import dev.floe.spec.SinkSpec;
import dev.floe.spec.StepSpec;
import java.io.PrintStream;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/** Prints a pipeline's plan: the reference job's {@code explain: true}. */
final class Explain {
  private Explain() {}

  static void print(PipelineSpec spec, BatchJob job, PrintStream out) {
    BatchPlan plan = job.plan(null);
    Steps steps = BatchJob.describe(spec);
    out.printf("== Plan of pipeline %s (%s)%n", spec.name(), spec.source());
    out.printf("input %s: CloudEvents from Kafka topic %s at %s, startingOffsets %s%n",
        spec.input().name(), spec.input().topic(), spec.input().bootstrapServers(),
        spec.input().startingOffsets());
    out.printf("trigger: %s%s%n",
        spec.streaming().triggerMode() == dev.floe.spec.StreamingSpec.Trigger.ONCE ? "Once" : "AvailableNow",
        spec.streaming().maxRecordsPerBatch() == null ? ""
            : ", at most " + spec.streaming().maxRecordsPerBatch() + " records per batch");
    out.printf("offsets to read (committed batch %s):%n",
        plan.previousBatchId() == null ? "none" : plan.previousBatchId());
    for (KafkaRange r : plan.ranges()) {
      out.printf("  %s-%d  [%d, %d)  %,d records%n", r.topic(), r.partition(), r.from(), r.to(),
          r.count());
    }
    out.printf("  total %,d records%n", plan.records());
    for (StepSpec step : spec.steps()) {
      out.printf("step %s:%n  sql: %s%n", step.name(), steps.sql().get(step.name()));
      if (steps.projections().contains(step.name())) {
        out.printf("  runs as: a projection (columns pass through unchanged, without Beam SQL)%n");
      }
      step.functions().forEach(f -> out.printf("  %s: %s%n", f.name(), f.columns()));
      out.printf("  output: %s%n", columns(steps.schemas().get(step.name())));
    }
    out.printf("per record: %s%n", steps.rowSteps() != null
        ? "with distribution none (flink-local.yaml, spark-local.yaml), decoded, transformed and"
            + " written in one function by each worker; with hash, one Beam step per step"
        : "one Beam step per step (a step runs through Beam SQL or reads another than the step"
            + " before it)");
    SinkSpec sink = spec.sink();
    Table table = job.tableOrNull();
    org.apache.iceberg.Schema schema =
        table != null ? table.schema() : IcebergSchemas.toIceberg(steps.output().getSchema());
    PartitionSpec partitioning = table != null ? table.spec() : job.partitionSpec(schema);
    Map<String, String> properties = table != null ? table.properties() : job.newTableProperties();
    out.printf("sink: Iceberg table %s (%s)%n", job.tableId(),
        table == null ? "created by the first run" : "exists");
    out.printf("  catalog: %s%n", spec.output().catalogProperties());
    out.println("  schema:");
    for (Types.NestedField f : schema.columns()) {
      out.printf("    %3d %-20s %s%n", f.fieldId(), f.name(), f.type());
    }
    out.printf("  partition spec: %s%n", partitioning.fields().isEmpty() ? "unpartitioned"
        : partitioning.fields().stream()
            .map(f -> f.name() + "=" + f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")")
            .toList());
    out.printf("  properties: %s%n", properties);
    out.printf("  saveMode: %s%n", saveMode(sink));
    out.printf("  dead letters: %s%s%n", job.deadLetterId(),
        sink.maxDeadLetterRatio() == null ? ""
            : " (a batch fails, committing nothing, above maxDeadLetterRatio "
                + sink.maxDeadLetterRatio() + ")");
    out.printf("    held now: %s%n", deadLettersByKind(job));
    if (spec.streaming().checkpointLocation() != null) {
      out.printf("  audit log (checkpointLocation): %s/batches.jsonl%n",
          spec.streaming().checkpointLocation());
    }
  }

  static String saveMode(SinkSpec sink) {
    return switch (sink.saveMode()) {
      case APPEND -> "append: each batch adds its rows";
      case COMPLETE -> "complete: each batch replaces the whole table";
      case OVERWRITE -> sink.overwriteMode() == SinkSpec.OverwriteMode.DYNAMIC
          ? "overwrite, dynamic: each batch replaces the partitions it has rows in"
          : "overwrite, static: each batch replaces the whole table";
    };
  }

  private static String columns(Schema schema) {
    StringBuilder b = new StringBuilder();
    for (Schema.Field f : schema.getFields()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      Schema.FieldType t = f.getType();
      String type = t.getTypeName() == Schema.TypeName.LOGICAL_TYPE
          ? t.getLogicalType().getIdentifier().replace("beam:logical_type:", "")
          : t.toString().replace(" NOT NULL", "");
      b.append(f.getName()).append(' ').append(type.toLowerCase());
    }
    return b.toString();
  }

  /** What the dead-letter table holds, by kind: {@code 12 (MALFORMED_JSON 7, INVALID_TIME 5)}. */
  static String deadLettersByKind(BatchJob job) {
    org.apache.iceberg.Table dlq = job.deadLetterTableOrNull();
    if (dlq == null || dlq.currentSnapshot() == null) {
      return "none";
    }
    java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(dlq).select("error_kind")
        .build()) {
      rows.forEach(r -> byKind.merge(String.valueOf(r.getField("error_kind")), 1L, Long::sum));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    long total = byKind.values().stream().mapToLong(Long::longValue).sum();
    return total == 0 ? "none"
        : String.format("%,d (%s)", total,
            new dev.floe.transform.DeadLetterCounts(byKind, java.util.List.of()).describe());
  }
}
