package dev.floe.cli;

import dev.floe.config.Durations;
import dev.floe.config.InputConfig;
import dev.floe.config.PipelineConfig;
import dev.floe.config.Secrets;
import dev.floe.config.SinkConfig;
import dev.floe.config.StepConfig.FunctionConfig;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.pipeline.BatchJob;
import dev.floe.plan.BatchPlan;
import dev.floe.source.KafkaRange;
import dev.floe.table.TableDefinition;
import dev.floe.transform.StepsPlan;
import dev.floe.types.IcebergSchemas;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.types.Types;

/** Prints a pipeline's plan: the reference job's {@code explain: true}. */
final class Explain {
  private Explain() {}

  static void print(BatchJob job, PrintStream out) {
    PipelineConfig config = job.config();
    BatchPlan plan = job.plan(null);
    StepsPlan steps = job.steps();
    out.printf("== Plan of pipeline %s (%s)%n", config.name(), config.source());
    InputConfig input = config.input();
    out.printf(
        "input %s: %s from Kafka topic %s at %s, startingOffsets %s%n",
        input.name(),
        switch (input.format()) {
          case InputConfig.AVRO -> "Avro records";
          case InputConfig.JSON -> "JSON objects";
          default -> "CloudEvents";
        },
        input.topic(),
        input.bootstrapServers(),
        input.startingOffsets());
    if (!input.consumerProperties().isEmpty()) {
      out.printf(
          "  kafka options: %s%n", new TreeMap<>(Secrets.masked(input.consumerProperties())));
    }
    if (job.input().avroColumns()) {
      out.printf(
          "  columns from subject %s at %s%s%n",
          input.valueSubject(),
          Secrets.hide(input.schemaRegistryUrl()),
          input.registryProperties().isEmpty()
              ? ""
              : ", registry options " + new TreeMap<>(Secrets.masked(input.registryProperties())));
    }
    out.printf(
        "trigger: %s%s%s%n",
        config.streaming().triggerMode().configName(),
        config.streaming().continuous()
            ? ", a window every " + Durations.describe(config.streaming().triggerDuration())
            : "",
        config.streaming().maxRecordsPerBatch() == null
            ? ""
            : ", at most " + config.streaming().maxRecordsPerBatch() + " records per batch");
    out.printf(
        "offsets to read (committed batch %s):%n",
        plan.previousBatchId() == null ? "none" : plan.previousBatchId());
    for (KafkaRange r : plan.ranges()) {
      out.printf(
          "  %s-%d  [%d, %d)  %,d records%n",
          r.topic(), r.partition(), r.from(), r.to(), r.count());
    }
    out.printf("  total %,d records%n", plan.records());
    for (int i = 0; i < steps.steps().size(); i++) {
      StepsPlan.Step step = steps.steps().get(i);
      out.printf("step %s:%n  sql: %s%n", step.name(), step.sql().statement());
      if (step.sql().isProjection()) {
        out.printf("  runs as: a projection (columns pass through unchanged, without Beam SQL)%n");
      }
      for (FunctionConfig f : config.steps().get(i).functions()) {
        out.printf("  %s: %s%n", f.name(), f.columns());
      }
      out.printf("  output: %s%n", columns(step.output()));
    }
    out.printf(
        "per record: %s%n",
        steps.runsAsOneFunction()
            ? "decoded and transformed in one function, which writes the row (distribution none:"
                + " flink-local.yaml, spark-local.yaml) or sends it to its partition's writer"
                + " (hash)"
            : "one Beam step per step (a step runs through Beam SQL or reads another than the step"
                + " before it)");
    printSink(job, steps, out);
  }

  private static void printSink(BatchJob job, StepsPlan steps, PrintStream out) {
    PipelineConfig config = job.config();
    SinkConfig sink = config.sink();
    TableDefinition definition = job.tables().target();
    Table table = job.tableOrNull();
    org.apache.iceberg.Schema schema =
        table != null ? table.schema() : IcebergSchemas.toIceberg(steps.outputSchema());
    PartitionSpec partitioning = table != null ? table.spec() : definition.partitionSpec(schema);
    Map<String, String> properties = table != null ? table.properties() : definition.properties();
    out.printf(
        "sink: Iceberg table %s (%s)%n",
        definition.id(), table == null ? "created by the first run" : "exists");
    out.printf(
        "  catalog: %s%n", new TreeMap<>(Secrets.masked(config.output().catalogProperties())));
    out.println("  schema:");
    for (Types.NestedField f : schema.columns()) {
      out.printf("    %3d %-20s %s%n", f.fieldId(), f.name(), f.type());
    }
    out.printf(
        "  partition spec: %s%n",
        partitioning.fields().isEmpty()
            ? "unpartitioned"
            : partitioning.fields().stream()
                .map(
                    f ->
                        f.name()
                            + "="
                            + f.transform()
                            + "("
                            + schema.findColumnName(f.sourceId())
                            + ")")
                .toList());
    out.printf("  properties: %s%n", properties);
    out.printf("  saveMode: %s%n", saveMode(sink));
    out.printf(
        "  dead letters: %s%s%n",
        job.tables().deadLetters().id(),
        sink.maxDeadLetterRatio() == null
            ? ""
            : " (a batch fails, committing nothing, above maxDeadLetterRatio "
                + sink.maxDeadLetterRatio()
                + ")");
    out.printf("    held now: %s%n", deadLettersByKind(job.deadLetterTableOrNull()));
    if (config.streaming().checkpointLocation() != null) {
      out.printf(
          "  audit log (checkpointLocation): %s/batches.jsonl%n",
          config.streaming().checkpointLocation());
    }
  }

  static String saveMode(SinkConfig sink) {
    return switch (sink.saveMode()) {
      case APPEND -> "append: each batch adds its rows";
      case COMPLETE -> "complete: each batch replaces the whole table";
      case OVERWRITE ->
          sink.overwriteMode() == SinkConfig.OverwriteMode.DYNAMIC
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
      String type =
          t.getTypeName() == Schema.TypeName.LOGICAL_TYPE
              ? t.getLogicalType().getIdentifier().replace("beam:logical_type:", "")
              : t.toString().replace(" NOT NULL", "");
      b.append(f.getName()).append(' ').append(type.toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  /** What the dead-letter table holds, by kind: {@code 12 (MALFORMED_JSON 7, INVALID_TIME 5)}. */
  static String deadLettersByKind(Table dlq) {
    if (dlq == null || dlq.currentSnapshot() == null) {
      return "none";
    }
    Map<String, Long> byKind = new TreeMap<>();
    try (var rows = IcebergGenerics.read(dlq).select("error_kind").build()) {
      rows.forEach(r -> byKind.merge(String.valueOf(r.getField("error_kind")), 1L, Long::sum));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long total = byKind.values().stream().mapToLong(Long::longValue).sum();
    return total == 0
        ? "none"
        : String.format("%,d (%s)", total, new DeadLetterCounts(byKind, List.of()).describe());
  }
}
