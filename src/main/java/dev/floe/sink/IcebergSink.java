package dev.floe.sink;

import dev.floe.format.DecodeCloudEvents;
import dev.floe.spec.SinkSpec;
import dev.floe.transform.DeadLetterCounts;
import dev.floe.transform.RowStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Writes a batch's rows to Iceberg tables and commits them once: parallel writers produce data
 * files, one committer commits each table's files with the batch's Kafka offsets. Targets commit in
 * order (the dead-letter table before the target table), each with the exactly-once check of
 * {@link BatchCommitter}.
 */
public final class IcebergSink extends PTransform<PCollectionTuple, PCollection<String>> {
  private final Map<String, String> catalogProperties;
  private final List<Target> targets;
  private final PCollectionView<Map<Integer, Long>> maxRead;
  private final OffsetsToCommit offsets;
  private final PCollectionView<DeadLetterCounts> deadLetters;
  private final Double maxDeadLetterRatio;

  /**
   * One table of the batch.
   *
   * @param tag the rows for this table in the input tuple
   * @param commitWhenEmpty commit (and so advance the offsets) even when no row was written
   * @param distribution whether rows are grouped by table partition before they are written
   */
  public record Target(
      TupleTag<Row> tag,
      String tableName,
      Table table,
      BatchCommitter.Request request,
      boolean commitWhenEmpty,
      SinkSpec.Distribution distribution)
      implements Serializable {
    public Target {
      table = SerializableTable.copyOf(table);
    }
  }

  /**
   * @param maxRead the highest offset read per partition
   * @param offsets turns {@code maxRead} into the offsets every target commits
   * @param deadLetters the batch's dead letters by kind, recorded in every snapshot's summary; null
   *     when the writers count them ({@link #writeAndCommit})
   * @param maxDeadLetterRatio fail the batch, committing nothing, when dead letters exceed this
   *     share of the records read; null for no limit
   */
  public IcebergSink(
      Map<String, String> catalogProperties,
      List<Target> targets,
      PCollectionView<Map<Integer, Long>> maxRead,
      OffsetsToCommit offsets,
      PCollectionView<DeadLetterCounts> deadLetters,
      Double maxDeadLetterRatio) {
    this.catalogProperties = catalogProperties;
    this.targets = targets;
    this.maxRead = maxRead;
    this.offsets = offsets;
    this.deadLetters = deadLetters;
    this.maxDeadLetterRatio = maxDeadLetterRatio;
  }

  /**
   * Decodes, transforms and writes {@code records} in one function ({@link WriteRecords}), then
   * commits what was written; the sink's dead-letter counts then come from the writers (build the
   * sink with no {@code deadLetters} view).
   *
   * @param steps the pipeline's steps as functions of a row, ending with rows of {@code
   *     rowSchema} for the target tagged {@code rowsTag}
   * @param newDeadLetter false for a dead letter already committed to the dead-letter table
   */
  public PCollection<String> writeAndCommit(
      PCollection<KafkaRecord<byte[], byte[]>> records,
      DecodeCloudEvents.Decoding decoding,
      List<RowStep> steps,
      Schema rowSchema,
      TupleTag<Row> rowsTag,
      SerializableFunction<Row, Boolean> newDeadLetter) {
    Target rows = targets.stream().filter(t -> t.tag().equals(rowsTag)).findFirst().orElseThrow();
    Target dead = targets.stream().filter(t -> t != rows).findFirst().orElseThrow();
    PCollection<TableFiles> written = records
        .apply("Decode, transform and write",
            ParDo.of(new WriteRecords(decoding, steps, newDeadLetter, rows, rowSchema, dead)))
        .setCoder(SerializableCoder.of(TableFiles.class));
    return commit(PCollectionList.of(written));
  }

  @Override
  public PCollection<String> expand(PCollectionTuple input) {
    PCollectionList<TableFiles> files = PCollectionList.empty(input.getPipeline());
    for (Target t : targets) {
      PCollection<Row> rows = input.get(t.tag());
      String batchId = t.request().batchId();
      PCollection<TableFiles> written;
      if (t.distribution() == SinkSpec.Distribution.NONE) {
        written = rows.apply("Write " + t.tableName(), ParDo.of(
            new WriteDataFiles.Ungrouped(t.table(), t.tableName(), batchId, rows.getSchema())));
      } else {
        written = rows.apply("Key by partition of " + t.tableName(),
                ParDo.of(new KeyByPartition(t.table(), rows.getSchema(),
                    writeGroups(input.getPipeline().getOptions()))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
            .apply("Group by partition of " + t.tableName(), GroupByKey.create())
            .apply("Write " + t.tableName(), ParDo.of(
                new WriteDataFiles.Grouped(
                    t.table(), t.tableName(), batchId, rows.getSchema())));
      }
      files = files.and(written.setCoder(SerializableCoder.of(TableFiles.class)));
    }
    return commit(files);
  }

  /**
   * How many keys the partitions of a table share on their way to the writers (distribution
   * hash); 0 for a key per partition. Beam's DirectRunner keeps a timer and grouped state per key
   * and looks at every key's timers each time it schedules work, so a batch spanning hundreds of
   * partitions spent more time there than writing (100,000 events in 288 partitions, 2 cores:
   * 30.8 s against 17.2 s with 16 keys, the same 288 files). It gets 16 keys, or twice the cores
   * if more, each holding several partitions. Flink, Spark and Dataflow sort or hash keys
   * at little cost per key and keep a key per partition, which spreads the writing over all
   * their workers.
   */
  static int writeGroups(PipelineOptions options) {
    return "DirectRunner".equals(options.getRunner().getSimpleName())
        ? Math.max(16, 2 * Runtime.getRuntime().availableProcessors())
        : 0;
  }

  private PCollection<String> commit(PCollectionList<TableFiles> files) {
    List<PCollectionView<?>> sideInputs = new ArrayList<>();
    sideInputs.add(maxRead);
    if (deadLetters != null) {
      sideInputs.add(deadLetters);
    }
    return files
        .apply("All files", Flatten.pCollections())
        .apply("Gather files", Combine.globally(new GatherFiles()))
        .apply("Commit", ParDo.of(new CommitFn(catalogProperties, targets, maxRead, offsets,
                deadLetters, maxDeadLetterRatio))
            .withSideInputs(sideInputs));
  }

  /** How long a batch's commits took (both tables), as a Beam metric: {@code floe:commit_millis}. */
  private static final org.apache.beam.sdk.metrics.Distribution COMMIT_MILLIS =
      org.apache.beam.sdk.metrics.Metrics.distribution("floe", "commit_millis");

  /** The single committer: runs once per batch, on one worker. */
  private static final class CommitFn extends DoFn<List<TableFiles>, String> {
    private final Map<String, String> catalogProperties;
    private final List<Target> targets;
    private final PCollectionView<Map<Integer, Long>> maxRead;
    private final OffsetsToCommit offsets;
    private final PCollectionView<DeadLetterCounts> deadLetters;
    private final Double maxDeadLetterRatio;
    private transient Catalog catalog;

    CommitFn(
        Map<String, String> catalogProperties,
        List<Target> targets,
        PCollectionView<Map<Integer, Long>> maxRead,
        OffsetsToCommit offsets,
        PCollectionView<DeadLetterCounts> deadLetters,
        Double maxDeadLetterRatio) {
      this.catalogProperties = catalogProperties;
      this.targets = targets;
      this.maxRead = maxRead;
      this.offsets = offsets;
      this.deadLetters = deadLetters;
      this.maxDeadLetterRatio = maxDeadLetterRatio;
    }

    @Setup
    public void setup() {
      catalog = Catalogs.load(catalogProperties);
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<TableFiles> written = c.element();
      Map<String, Map<Integer, Long>> next = offsets.after(c.sideInput(maxRead));
      if (offsets.unchanged(next) && written.isEmpty()) {
        return; // nothing was read before the deadline: no batch to commit
      }
      DeadLetterCounts dead = deadLetters != null ? c.sideInput(deadLetters) : counted(written);
      long records = offsets.records(next);
      checkRatio(dead, records, targets.get(0).request().batchId());
      FaultPoints.reached(FaultPoints.BEFORE_COMMIT);
      long started = System.nanoTime();
      for (Target t : targets) {
        List<DataFile> files = new ArrayList<>();
        written.stream().filter(w -> w.table().equals(t.tableName()))
            .forEach(w -> files.addAll(w.files()));
        if (files.isEmpty() && !t.commitWhenEmpty()) {
          continue;
        }
        Table table = catalog.loadTable(TableIdentifier.parse(t.tableName()));
        var snapshot = BatchCommitter.commit(
            table, t.request().withOffsets(next, records).withSummary(dead.summary()), files);
        c.output(t.tableName() + "@" + snapshot.snapshotId());
      }
      COMMIT_MILLIS.update((System.nanoTime() - started) / 1_000_000);
      FaultPoints.reached(FaultPoints.AFTER_COMMIT);
    }

    /** The dead letters the writers counted. */
    private static DeadLetterCounts counted(List<TableFiles> written) {
      DeadLetterCounts.Tally all = new DeadLetterCounts.Tally();
      written.stream().filter(w -> w.deadLetters() != null)
          .forEach(w -> all.addAll(w.deadLetters()));
      return all.counts();
    }

    private void checkRatio(DeadLetterCounts dead, long records, String batchId) {
      if (maxDeadLetterRatio == null || records == 0
          || dead.total() <= maxDeadLetterRatio * records) {
        return;
      }
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "batch %s: %,d of the %,d records read (%.1f%%) are dead letters, over"
              + " maxDeadLetterRatio %s (%.1f%%); nothing was committed. Kinds: %s. First: %s."
              + " Fix the producer, or raise outputOptions.maxDeadLetterRatio to accept them"
              + " into the dead-letter table",
          batchId, dead.total(), records, 100.0 * dead.total() / records,
          maxDeadLetterRatio, 100 * maxDeadLetterRatio, dead.describe(),
          String.join(", ", dead.samples())));
    }
  }
}
