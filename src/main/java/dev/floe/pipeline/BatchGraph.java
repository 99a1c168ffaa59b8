package dev.floe.pipeline;

import dev.floe.commit.BatchCommitter;
import dev.floe.commit.CommitBatch;
import dev.floe.commit.CommitBatch.WhenEmpty;
import dev.floe.commit.CommitFence;
import dev.floe.commit.Committed;
import dev.floe.commit.NotYetCommitted;
import dev.floe.commit.Offsets;
import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig;
import dev.floe.config.SinkConfig.Distribution;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import dev.floe.plan.BatchPlan;
import dev.floe.plan.ReadEnd;
import dev.floe.runner.FloeOptions;
import dev.floe.runner.Runners;
import dev.floe.source.HighestOffsets;
import dev.floe.source.KafkaRange;
import dev.floe.source.KafkaRangeRead;
import dev.floe.source.KafkaRangeRead.SliceHandout;
import dev.floe.table.PipelineTables;
import dev.floe.types.IcebergSchemas;
import dev.floe.write.TableTarget;
import dev.floe.write.WriteRows;
import dev.floe.write.WrittenFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Beam graph of one batch: read the planned ranges, decode, run the steps, write both tables'
 * data files, commit. When every step is a projection, decoding and the steps run in one function
 * per record with the writing (distribution none, {@link DecodeTransformWrite}) or the keying by
 * partition (hash, {@link DecodeTransformGroupWrite}); the tables, snapshots and offsets are the
 * same either way.
 */
final class BatchGraph {
  private static final Logger LOG = LoggerFactory.getLogger(BatchGraph.class);

  private final BatchJob job;
  private final BatchPlan plan;
  private final BatchTag batch;

  private final Duration readLimit;

  /**
   * @param readLimit how long the batch may read before it commits what it has; null to read every
   *     range to its end
   */
  BatchGraph(BatchJob job, BatchPlan plan, Duration readLimit) {
    this.job = job;
    this.plan = plan;
    this.readLimit = readLimit;
    this.batch = new BatchTag(job.config().name(), plan.batchId());
  }

  /** Builds the batch into {@code p}: read, decode, steps, write, commit. */
  void build(Pipeline p) {
    PipelineConfig config = job.config();
    Duration maxReadTime = readLimit;
    PCollection<KafkaRecord<byte[], byte[]>> records =
        p.apply("Read " + config.input().topic(), read(p, maxReadTime));
    PCollectionView<Map<Integer, Long>> maxRead = highestOffsetsRead(p, records, maxReadTime);

    Tables tables = loadOrCreateTables();
    Distribution distribution = distribution(config, p.getOptions());
    boolean oneFunction = job.steps().runsAsOneFunction();
    LOG.info(
        "batch {}: {} on {}, distribution {}",
        plan.batchId(),
        oneFunction ? "one function per record" : "one Beam step per step",
        p.getOptions().getRunner().getSimpleName(),
        distribution.name().toLowerCase(java.util.Locale.ROOT));

    CommitBatch commit =
        new CommitBatch(
                job.tables().catalogProperties(),
                commitTargets(tables),
                plan.offsetsToCommit(
                    maxReadTime == null ? ReadEnd.PLANNED_END : ReadEnd.MAY_STOP_EARLY),
                maxRead)
            .withMaxDeadLetterRatio(config.sink().maxDeadLetterRatio());
    PCollectionList<WrittenFiles> written =
        oneFunction
            ? PCollectionList.of(oneFunctionPerRecord(p, records, tables, distribution))
            : beamStepPerStep(p, records, tables, distribution, commit);
    written.apply("Commit", commit);
  }

  /**
   * Decoding and the steps in the function that writes the rows (distribution none) or keys them by
   * partition (hash): no collection of rows between Kafka and the writers or the grouping.
   */
  private PCollection<WrittenFiles> oneFunctionPerRecord(
      Pipeline p,
      PCollection<KafkaRecord<byte[], byte[]>> records,
      Tables tables,
      Distribution distribution) {
    RecordRows recordRows = new RecordRows(job.input(), batch, job.steps());
    BundleDeadLetters deadLetters =
        new BundleDeadLetters(tables.deadLetters(), plan.batchId(), tables.newDeadLetter());
    if (distribution == Distribution.NONE) {
      return records.apply(
          "Decode, transform and write",
          new DecodeTransformWrite(
              recordRows,
              job.steps().outputSchema(),
              tables.target(),
              deadLetters,
              plan.batchId()));
    }
    return records.apply(
        "Decode, transform, group and write",
        new DecodeTransformGroupWrite(
            recordRows,
            job.steps().outputSchema(),
            tables.target(),
            deadLetters,
            plan.batchId(),
            Runners.sharedWriteKeys(p.getOptions())));
  }

  /** Decoding, each step and each table's writing as Beam steps of their own. */
  private PCollectionList<WrittenFiles> beamStepPerStep(
      Pipeline p,
      PCollection<KafkaRecord<byte[], byte[]>> records,
      Tables tables,
      Distribution distribution,
      CommitBatch commit) {
    RowsWithDeadLetters rows = DecodeAndSteps.apply(records, job, batch, tables.newDeadLetter());
    PCollection<Row> deadLetters = rows.deadLetters();
    commit.withDeadLetterCounts(DeadLetterCounts.of(deadLetters));
    int sharedKeys = Runners.sharedWriteKeys(p.getOptions());
    return PCollectionList.of(
            deadLetters.apply(
                "Write " + tables.deadLetterName(),
                new WriteRows(tables.deadLetters(), plan.batchId(), Distribution.HASH, sharedKeys)))
        .and(
            rows.rows()
                .apply(
                    "Write " + tables.targetName(),
                    new WriteRows(tables.target(), plan.batchId(), distribution, sharedKeys)));
  }

  private KafkaRangeRead read(Pipeline p, Duration maxReadTime) {
    PipelineConfig config = job.config();
    return new KafkaRangeRead(
        config.input().bootstrapServers(),
        config.input().consumerProperties(),
        plan.ranges(),
        maxReadTime == null ? null : maxReadTime.toMillis(),
        Runners.readersPullSplits(p.getOptions())
            ? SliceHandout.READERS_PULL
            : SliceHandout.SHUFFLED);
  }

  /**
   * The highest offset read per partition. It matters only when a deadline may stop reads early:
   * otherwise every range is read to its end and its end is committed, and the records are not read
   * twice (Beam's Spark runner would cache them all for a second reader).
   */
  private static PCollectionView<Map<Integer, Long>> highestOffsetsRead(
      Pipeline p, PCollection<KafkaRecord<byte[], byte[]>> records, Duration maxReadTime) {
    KvCoder<Integer, Long> coder = KvCoder.of(VarIntCoder.of(), VarLongCoder.of());
    PCollection<KV<Integer, Long>> offsets =
        maxReadTime == null
            ? p.apply("Read to the ends", Create.empty(coder))
            : records.apply("Offsets read", ParDo.of(new HighestOffsets())).setCoder(coder);
    return offsets.apply("Highest offset read", Max.longsPerKey()).apply("As map", View.asMap());
  }

  /** The sink's distribution, else the runner profile's. */
  static Distribution distribution(PipelineConfig config, PipelineOptions options) {
    SinkConfig sink = config.sink();
    return sink.distribution() != null
        ? sink.distribution()
        : FloeOptions.writeDistribution(options);
  }

  /**
   * Both tables of the batch, loaded or created for the rows the steps make, and what the
   * dead-letter table holds already.
   */
  private record Tables(
      TableTarget target, TableTarget deadLetters, Committed deadLettersCommitted) {
    String targetName() {
      return target.name();
    }

    String deadLetterName() {
      return deadLetters.name();
    }

    /** Drops dead letters an earlier attempt at this range already committed. */
    NotYetCommitted newDeadLetter() {
      return new NotYetCommitted(deadLettersCommitted.offsets());
    }
  }

  private Tables loadOrCreateTables() {
    PipelineTables t = job.tables();
    Table target = t.loadOrCreate(t.target(), IcebergSchemas.toIceberg(job.steps().outputSchema()));
    Table deadLetters =
        t.loadOrCreate(t.deadLetters(), IcebergSchemas.toIceberg(DeadLetters.SCHEMA));
    return new Tables(
        new TableTarget(t.target().id().toString(), target),
        new TableTarget(t.deadLetters().id().toString(), deadLetters),
        Committed.of(deadLetters, job.config().name()));
  }

  /** The dead-letter table commits first: its rows are safe before the offsets move. */
  private List<CommitBatch.Target> commitTargets(Tables tables) {
    PipelineConfig config = job.config();
    // no offsets yet: the committer derives them from what the batch read
    BatchCommitter.Request target =
        new BatchCommitter.Request(
            config.name(),
            plan.batchId(),
            CommitFence.afterBatch(plan.previousBatchId()),
            Offsets.NONE,
            config.sink().saveMode(),
            config.sink().overwriteMode(),
            skippedSummary());
    BatchCommitter.Request deadLetters =
        new BatchCommitter.Request(
            config.name(),
            plan.batchId(),
            CommitFence.afterBatch(tables.deadLettersCommitted().batchId()),
            Offsets.NONE,
            SinkConfig.SaveMode.APPEND,
            SinkConfig.OverwriteMode.DYNAMIC,
            Map.of());
    return List.of(
        new CommitBatch.Target(tables.deadLetterName(), deadLetters, WhenEmpty.SKIP),
        new CommitBatch.Target(tables.targetName(), target, WhenEmpty.COMMIT));
  }

  /**
   * {@code floe.skipped-offsets}: ranges lost to retention, {@code {topic: {partition: [from,
   * to]}}}.
   */
  private Map<String, String> skippedSummary() {
    if (plan.skipped().isEmpty()) {
      return Map.of();
    }
    Map<String, Map<Integer, List<Long>>> skipped = new TreeMap<>();
    for (KafkaRange r : plan.skipped()) {
      skipped
          .computeIfAbsent(r.topic(), t -> new TreeMap<>())
          .put(r.partition(), List.of(r.from(), r.to()));
    }
    return Map.of("floe.skipped-offsets", Offsets.json(skipped));
  }
}
