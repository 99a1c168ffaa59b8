package dev.floe.pipeline;

import dev.floe.format.CloudEventSchema;
import dev.floe.format.DecodeCloudEvents;
import dev.floe.plan.BatchPlan;
import dev.floe.plan.BatchPlanner;
import dev.floe.plan.KafkaOffsets;
import dev.floe.runner.FloeOptions;
import dev.floe.sink.BatchCommitter;
import dev.floe.sink.Catalogs;
import dev.floe.sink.Committed;
import dev.floe.sink.IcebergSchemas;
import dev.floe.sink.IcebergSink;
import dev.floe.sink.OffsetsJson;
import dev.floe.sink.TableSetup;
import dev.floe.source.KafkaRange;
import dev.floe.source.HighestOffsets;
import dev.floe.source.KafkaRangeRead;
import dev.floe.source.OffsetsRead;
import dev.floe.spec.PipelineSpec;
import dev.floe.spec.SinkSpec;
import dev.floe.transform.DeadLetterCounts;
import dev.floe.transform.DeadLetters;
import dev.floe.transform.DeadLetters.BatchTag;
import dev.floe.transform.SqlStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One pipeline against its catalog and broker: what is committed, what the next batch reads, and
 * the Beam graph that reads, transforms, writes and commits it.
 */
public final class BatchJob {
  static final TupleTag<Row> TARGET_ROWS = new TupleTag<>("target") {};

  private final PipelineSpec spec;
  private final Catalog catalog;
  private final TableIdentifier tableId;
  private final TableIdentifier deadLetterId;
  private final TableSetup setup;

  public BatchJob(PipelineSpec spec) {
    this.spec = spec;
    this.tableId = TableIdentifier.of(spec.output().namespace(), spec.sink().datasetName());
    this.catalog = Catalogs.loadReachable(spec.output().catalogProperties(), tableId);
    this.deadLetterId =
        TableIdentifier.of(spec.output().namespace(), spec.sink().deadLetterTableName());
    this.setup = new TableSetup(spec.source(), spec.sink());
  }

  public PipelineSpec spec() {
    return spec;
  }

  public TableIdentifier tableId() {
    return tableId;
  }

  public TableIdentifier deadLetterId() {
    return deadLetterId;
  }

  /** The table, or null before the first run created it. */
  public Table tableOrNull() {
    return catalog.tableExists(tableId) ? catalog.loadTable(tableId) : null;
  }

  /** The dead-letter table, or null before the first run created it. */
  public Table deadLetterTableOrNull() {
    return catalog.tableExists(deadLetterId) ? catalog.loadTable(deadLetterId) : null;
  }

  public Committed committed() {
    Table table = tableOrNull();
    return table == null ? Committed.NONE : Committed.of(table, spec.name());
  }

  /** Plans the next batch; {@code stopAt} caps end offsets (null: the broker's end offsets now). */
  public BatchPlan plan(Map<Integer, Long> stopAt) {
    try (KafkaOffsets kafka =
        new KafkaOffsets(spec.input().bootstrapServers(), spec.input().consumerProperties())) {
      return BatchPlanner.plan(
          kafka, spec.input(), committed(), spec.streaming().maxRecordsPerBatch(), stopAt);
    }
  }

  /** The broker's end offsets now, per partition of the input topic. */
  public Map<Integer, Long> endOffsets() {
    try (KafkaOffsets kafka =
        new KafkaOffsets(spec.input().bootstrapServers(), spec.input().consumerProperties())) {
      Map<Integer, Long> out = new java.util.TreeMap<>();
      kafka.end(kafka.partitions(spec.input().topic()))
          .forEach((tp, offset) -> out.put(tp.partition(), offset));
      return out;
    }
  }

  /** The steps over an empty input: schemas and SQL, with no broker or catalog. */
  public static Steps describe(PipelineSpec spec) {
    return describe(spec, new BatchTag(spec.name(), "describe"));
  }

  /** The steps over an empty input, their dead letters tagged with {@code batch}. */
  static Steps describe(PipelineSpec spec, BatchTag batch) {
    Pipeline p = Pipeline.create();
    Schema schema = CloudEventSchema.of(spec.input());
    PCollection<Row> empty = p.apply("Input", Create.empty(RowCoder.of(schema)));
    empty.setRowSchema(schema);
    Steps steps = Steps.apply(empty, spec, batch);
    // the partition spec must fit the output; fail here rather than at the first run
    new TableSetup(spec.source(), spec.sink())
        .partitionSpec(IcebergSchemas.toIceberg(steps.output().getSchema()));
    return steps;
  }

  /**
   * Whether the batch's slices are read as a source whose splits readers take as they ask for
   * them: on Flink (both of Beam's Flink translations hand a bounded source's splits out that
   * way). Spark runs a split per task, each a bundle of its own whose writers would each start new
   * files; Direct and Dataflow keep the shuffled slices.
   */
  static boolean readersPullSlices(org.apache.beam.sdk.options.PipelineOptions options) {
    return "FlinkRunner".equals(options.getRunner().getSimpleName());
  }

  /** The partition spec a new table gets for the output schema. */
  public PartitionSpec partitionSpec(org.apache.iceberg.Schema schema) {
    return setup.partitionSpec(schema);
  }

  public Map<String, String> newTableProperties() {
    return setup.properties();
  }

  /** Builds the graph of one batch into {@code p}: read, decode, steps, write, commit. */
  public void build(Pipeline p, BatchPlan plan) {
    BatchTag batch = new BatchTag(spec.name(), plan.batchId());
    java.time.Duration maxReadTime = spec.streaming().maxReadTime();
    PCollection<KafkaRecord<byte[], byte[]>> records =
        p.apply(
            "Read " + spec.input().topic(),
            new KafkaRangeRead(
                spec.input().bootstrapServers(),
                spec.input().consumerProperties(),
                plan.ranges(),
                maxReadTime == null ? null : maxReadTime.toMillis(),
                readersPullSlices(p.getOptions())));
    // the highest offset read per partition matters only when a deadline may stop reads early:
    // otherwise every range is read to its end and its end is committed (OffsetsRead), and the
    // records are not read twice (Beam's Spark runner would cache them all for a second reader)
    KvCoder<Integer, Long> offsetCoder = KvCoder.of(VarIntCoder.of(), VarLongCoder.of());
    PCollection<KV<Integer, Long>> offsetsRead = maxReadTime == null
        ? p.apply("Read to the ends", Create.empty(offsetCoder))
        : records.apply("Offsets read", ParDo.of(new HighestOffsets())).setCoder(offsetCoder);
    PCollectionView<Map<Integer, Long>> maxRead = offsetsRead
        .apply("Highest offset read", Max.longsPerKey())
        .apply("As map", View.asMap());
    SinkSpec sink = spec.sink();
    SinkSpec.Distribution distribution = sink.distribution() != null
        ? sink.distribution()
        : FloeOptions.writeDistribution(p.getOptions());
    // steps that are all projections and functions, written where they run (no shuffle): one
    // function per record from Kafka to the writers, with no collection in between
    // (planned apart from this graph only when every statement has the form of a projection)
    Steps described = distribution == SinkSpec.Distribution.NONE
        && spec.steps().stream().allMatch(s -> SqlStep.mayBeProjection(s.sql()))
        ? describe(spec, batch) : null;
    boolean oneFunction = described != null && described.rowSteps() != null;
    PCollectionTuple decoded = null;
    Steps steps = described;
    if (!oneFunction) {
      decoded = records.apply("Decode CloudEvents", new DecodeCloudEvents(spec.input(), batch));
      steps = Steps.apply(decoded.get(DecodeCloudEvents.ROWS), spec, batch);
    }
    Schema rowSchema = steps.output().getSchema();

    Table table = setup.loadOrCreate(catalog, tableId, IcebergSchemas.toIceberg(rowSchema));
    Table deadLetterTable =
        new TableSetup(spec.source(), deadLetterSink())
            .loadOrCreate(catalog, deadLetterId, IcebergSchemas.toIceberg(DeadLetters.SCHEMA));
    Committed deadLettersCommitted = Committed.of(deadLetterTable, spec.name());
    NotYetCommitted newDeadLetter = new NotYetCommitted(deadLettersCommitted.offsets());

    // no offsets here: the committer derives them from what the batch read (OffsetsRead)
    Map<String, Map<Integer, Long>> offsets = Map.of();
    var targetRequest =
        new BatchCommitter.Request(
            spec.name(), plan.batchId(), plan.previousBatchId(), offsets,
            sink.saveMode(), sink.overwriteMode(),
            skippedSummary(plan));
    var deadLetterRequest =
        new BatchCommitter.Request(
            spec.name(), plan.batchId(), deadLettersCommitted.batchId(), offsets,
            SinkSpec.SaveMode.APPEND, SinkSpec.OverwriteMode.DYNAMIC,
            Map.of());
    TupleTag<Row> deadLetterRows = DeadLetters.TAG;
    List<IcebergSink.Target> targets = List.of(
        new IcebergSink.Target(
            deadLetterRows, deadLetterId.toString(), deadLetterTable,
            deadLetterRequest, false, SinkSpec.Distribution.HASH),
        new IcebergSink.Target(
            TARGET_ROWS, tableId.toString(), table, targetRequest, true, distribution));
    OffsetsRead offsetsToCommit = new OffsetsRead(plan.committed(), plan.ranges(),
        maxReadTime != null);
    if (oneFunction) {
      new IcebergSink(spec.output().catalogProperties(), targets, maxRead, offsetsToCommit, null,
          sink.maxDeadLetterRatio())
          .writeAndCommit(records, new DecodeCloudEvents.Decoding(spec.input(), batch),
              steps.rowSteps(), rowSchema, TARGET_ROWS, newDeadLetter);
      return;
    }

    List<PCollection<Row>> dead = new ArrayList<>();
    dead.add(decoded.get(DeadLetters.TAG));
    dead.addAll(steps.deadLetters());
    PCollection<Row> deadLetters =
        PCollectionList.of(dead)
            .apply("All dead letters", Flatten.pCollections())
            .setRowSchema(DeadLetters.SCHEMA)
            .apply("Drop dead letters already committed", Filter.by(newDeadLetter))
            .setRowSchema(DeadLetters.SCHEMA);
    PCollectionTuple.of(TARGET_ROWS, steps.output())
        .and(deadLetterRows, deadLetters)
        .apply(
            "Write and commit",
            new IcebergSink(
                spec.output().catalogProperties(), targets, maxRead, offsetsToCommit,
                DeadLetterCounts.of(deadLetters), sink.maxDeadLetterRatio()));
  }

  /** {@code floe.skipped-offsets}: ranges lost to retention, {@code {topic: {partition: [from, to]}}}. */
  private static Map<String, String> skippedSummary(BatchPlan plan) {
    if (plan.skipped().isEmpty()) {
      return Map.of();
    }
    Map<String, Map<Integer, List<Long>>> skipped = new java.util.TreeMap<>();
    for (KafkaRange r : plan.skipped()) {
      skipped.computeIfAbsent(r.topic(), t -> new java.util.TreeMap<>())
          .put(r.partition(), List.of(r.from(), r.to()));
    }
    return Map.of("floe.skipped-offsets", OffsetsJson.json(skipped));
  }

  /**
   * Pins where a pipeline starts: on a first run whose starting offsets ({@code latest}, or a time
   * after the last record) leave nothing to read, an empty batch commits those offsets, so the next
   * run reads what arrives after them instead of starting at "latest" again.
   */
  public org.apache.iceberg.Snapshot commitStartingOffsets(BatchPlan plan) {
    Steps steps = describe(spec);
    Table table =
        setup.loadOrCreate(catalog, tableId, IcebergSchemas.toIceberg(steps.output().getSchema()));
    SinkSpec sink = spec.sink();
    return BatchCommitter.commit(table,
        new BatchCommitter.Request(spec.name(), plan.batchId(), plan.previousBatchId(),
            plan.offsetsAfter(), SinkSpec.SaveMode.APPEND, sink.overwriteMode(),
            Map.of(BatchCommitter.RECORDS_READ, "0", "floe.starting-offsets",
                spec.input().startingOffsets().toString())),
        List.of());
  }

  private SinkSpec deadLetterSink() {
    SinkSpec s = spec.sink();
    return new SinkSpec(s.sequenceName(), s.deadLetterTableName(), s.outputName(),
        "dead letters of " + spec.name(),
        "records of pipeline " + spec.name() + " that could not become rows of " + tableId,
        SinkSpec.SaveMode.APPEND, SinkSpec.OverwriteMode.DYNAMIC, Map.of(), List.of(), List.of(),
        null, null, SinkSpec.Distribution.HASH,
        s.line());
  }
}
