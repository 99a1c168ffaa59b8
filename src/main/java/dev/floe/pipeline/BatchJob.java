package dev.floe.pipeline;

import dev.floe.commit.BatchCommitter;
import dev.floe.commit.CommitFence;
import dev.floe.commit.Committed;
import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig;
import dev.floe.decode.InputSchema;
import dev.floe.plan.BatchPlan;
import dev.floe.plan.BatchPlanner;
import dev.floe.source.KafkaOffsets;
import dev.floe.table.PipelineTables;
import dev.floe.table.TableDefinition;
import dev.floe.transform.StepsPlan;
import dev.floe.types.IcebergSchemas;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * One pipeline against its catalog and broker: its steps, what it has committed, and what its next
 * batch reads. {@link BatchGraph} builds the Beam graph of a batch from it.
 */
public final class BatchJob {
  private final PipelineConfig config;
  private final PipelineTables tables;
  private final InputSchema input;
  private final StepsPlan steps;

  /** Reaches the catalog (a catalog that cannot be reached fails here) and plans the steps. */
  public BatchJob(PipelineConfig config) {
    this.config = config;
    this.tables = new PipelineTables(config);
    this.input = InputSchema.of(config.input(), config.sink().schemaEvolution());
    this.steps = describe(config, input);
  }

  /**
   * The pipeline's steps planned over its input, with no broker or catalog; fails as a
   * configuration error when a statement or function does not run, or when the partition spec does
   * not fit the steps' output.
   */
  public static StepsPlan describe(PipelineConfig config) {
    return describe(config, InputSchema.of(config.input(), config.sink().schemaEvolution()));
  }

  private static StepsPlan describe(PipelineConfig config, InputSchema input) {
    StepsPlan steps = StepsPlan.of(config, input.rowSchema());
    TableDefinition.target(config).partitionSpec(IcebergSchemas.toIceberg(steps.outputSchema()));
    return steps;
  }

  public PipelineConfig config() {
    return config;
  }

  public PipelineTables tables() {
    return tables;
  }

  /** What the input's records decode to, as this job planned it. */
  public InputSchema input() {
    return input;
  }

  public StepsPlan steps() {
    return steps;
  }

  /** The target table, or null before the first run created it. */
  public Table tableOrNull() {
    return tables.loadOrNull(tables.target());
  }

  /** The dead-letter table, or null before the first run created it. */
  public Table deadLetterTableOrNull() {
    return tables.loadOrNull(tables.deadLetters());
  }

  /** What the pipeline has committed to its target table. */
  public Committed committed() {
    Table table = tableOrNull();
    return table == null ? Committed.NONE : Committed.of(table, config.name());
  }

  /** Plans the next batch; {@code stopAt} caps end offsets (null: the broker's end offsets now). */
  public BatchPlan plan(Map<Integer, Long> stopAt) {
    try (KafkaOffsets kafka = kafka()) {
      return BatchPlanner.plan(
          kafka, config.input(), committed(), config.streaming().maxRecordsPerBatch(), stopAt);
    }
  }

  /**
   * Plans the next batch as {@link #plan}, and when the runner would hold it whole on a heap share
   * of {@code heldBytes} (0: it does not), sizes its records on the same broker connection: the cap
   * on its records when it does not fit, else null.
   */
  Next planWithin(Map<Integer, Long> stopAt, long heldBytes) {
    try (KafkaOffsets kafka = kafka()) {
      BatchPlan plan =
          BatchPlanner.plan(
              kafka, config.input(), committed(), config.streaming().maxRecordsPerBatch(), stopAt);
      return new Next(plan, BatchesThatFit.capFor(kafka, plan, heldBytes));
    }
  }

  /**
   * The next batch as planned, and the cap on its records when the runner's heap holds fewer.
   *
   * @param cap null when the batch fits
   */
  record Next(BatchPlan plan, BatchesThatFit.Cap cap) {}

  /** The broker's end offsets now, per partition of the input topic. */
  public Map<Integer, Long> endOffsets() {
    try (KafkaOffsets kafka = kafka()) {
      Map<Integer, Long> out = new TreeMap<>();
      kafka
          .end(kafka.partitions(config.input().topic()))
          .forEach((tp, offset) -> out.put(tp.partition(), offset));
      return out;
    }
  }

  private KafkaOffsets kafka() {
    return new KafkaOffsets(config.input().bootstrapServers(), config.input().consumerProperties());
  }

  /**
   * Pins where a pipeline starts: on a first run whose starting offsets ({@code latest}, or a time
   * after the last record) leave nothing to read, an empty batch commits those offsets, so the next
   * run reads what arrives after them instead of starting at "latest" again.
   */
  public Snapshot commitStartingOffsets(BatchPlan plan) {
    Table table =
        tables.loadOrCreate(tables.target(), IcebergSchemas.toIceberg(steps.outputSchema()));
    SinkConfig sink = config.sink();
    return BatchCommitter.commit(
        table,
        new BatchCommitter.Request(
            config.name(),
            plan.batchId(),
            CommitFence.afterBatch(plan.previousBatchId()),
            plan.offsetsAfter(),
            SinkConfig.SaveMode.APPEND,
            sink.overwriteMode(),
            Map.of(
                BatchCommitter.RECORDS_READ,
                "0",
                "floe.starting-offsets",
                config.input().startingOffsets().toString())),
        List.of());
  }
}
