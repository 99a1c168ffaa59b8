package dev.floe.commit;

import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.faults.FaultPoints;
import dev.floe.table.Catalogs;
import dev.floe.write.WrittenFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what a batch's writers wrote, once, in a single committer on one worker: each table's
 * data files with the batch's Kafka offsets ({@link BatchCommitter}), in order (the dead-letter
 * table before the target table). Outputs {@code table@snapshot} per commit.
 */
public final class CommitBatch
    extends PTransform<PCollectionList<WrittenFiles>, PCollection<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(CommitBatch.class);

  /**
   * How long a batch's commits took (both tables), as a Beam metric: {@code floe:commit_millis}.
   */
  private static final Distribution COMMIT_MILLIS = Metrics.distribution("floe", "commit_millis");

  /** Whether a table whose writers wrote nothing is committed. */
  public enum WhenEmpty {
    /** Commit anyway: the snapshot advances the pipeline's offsets (the target table). */
    COMMIT,
    /** Leave the table as it is (the dead-letter table of a batch without dead letters). */
    SKIP
  }

  /** One table of the batch, in commit order. */
  public record Target(String tableName, BatchCommitter.Request request, WhenEmpty whenEmpty)
      implements Serializable {}

  private final Map<String, String> catalogProperties;
  private final List<Target> targets;
  private final OffsetsToCommit offsets;
  private final PCollectionView<Map<Integer, Long>> maxRead;
  private PCollectionView<DeadLetterCounts> deadLetters;
  private Double maxDeadLetterRatio;

  /**
   * @param maxRead the highest offset read per partition, which {@code offsets} turns into the
   *     offsets every target commits
   */
  public CommitBatch(
      Map<String, String> catalogProperties,
      List<Target> targets,
      OffsetsToCommit offsets,
      PCollectionView<Map<Integer, Long>> maxRead) {
    this.catalogProperties = catalogProperties;
    this.targets = List.copyOf(targets);
    this.offsets = offsets;
    this.maxRead = maxRead;
  }

  /**
   * The batch's dead letters by kind, counted apart from the writers; without it, the counts the
   * writers carry in their {@link WrittenFiles} are used.
   */
  public CommitBatch withDeadLetterCounts(PCollectionView<DeadLetterCounts> counts) {
    this.deadLetters = counts;
    return this;
  }

  /**
   * Fails the batch, committing nothing, when dead letters exceed this share of the records read;
   * null for no limit.
   */
  public CommitBatch withMaxDeadLetterRatio(Double ratio) {
    this.maxDeadLetterRatio = ratio;
    return this;
  }

  @Override
  public PCollection<String> expand(PCollectionList<WrittenFiles> files) {
    List<PCollectionView<?>> sideInputs = new ArrayList<>();
    sideInputs.add(maxRead);
    if (deadLetters != null) {
      sideInputs.add(deadLetters);
    }
    return files
        .apply("All files", Flatten.pCollections())
        .apply("Gather files", Combine.globally(new GatherFiles()))
        .apply("Commit", ParDo.of(new CommitFn(this)).withSideInputs(sideInputs));
  }

  /** The single committer: runs once per batch, on one worker. */
  private static final class CommitFn extends DoFn<List<WrittenFiles>, String> {
    private final Map<String, String> catalogProperties;
    private final List<Target> targets;
    private final OffsetsToCommit offsets;
    private final PCollectionView<Map<Integer, Long>> maxRead;
    private final PCollectionView<DeadLetterCounts> deadLetters;
    private final Double maxDeadLetterRatio;
    private transient Catalog catalog;

    CommitFn(CommitBatch spec) {
      this.catalogProperties = spec.catalogProperties;
      this.targets = spec.targets;
      this.offsets = spec.offsets;
      this.maxRead = spec.maxRead;
      this.deadLetters = spec.deadLetters;
      this.maxDeadLetterRatio = spec.maxDeadLetterRatio;
    }

    @Setup
    public void setup() {
      catalog = Catalogs.load(catalogProperties);
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<WrittenFiles> written = c.element();
      Offsets next = offsets.after(c.sideInput(maxRead));
      String batchId = targets.get(0).request().batchId();
      if (offsets.unchanged(next) && written.isEmpty()) {
        LOG.info("batch {}: nothing was read before the read deadline; nothing to commit", batchId);
        return;
      }
      DeadLetterCounts dead = deadLetters != null ? c.sideInput(deadLetters) : counted(written);
      long records = offsets.records(next);
      checkRatio(dead, records, batchId);
      if (dead.total() > 0) {
        LOG.info(
            "batch {}: {} dead letters of {} records read ({})",
            batchId,
            dead.total(),
            records,
            dead.describe());
      }
      FaultPoints.reached(FaultPoints.BEFORE_COMMIT);
      long started = System.nanoTime();
      for (Target t : targets) {
        List<DataFile> files = new ArrayList<>();
        written.stream()
            .filter(w -> w.table().equals(t.tableName()))
            .forEach(w -> files.addAll(w.files()));
        if (files.isEmpty() && t.whenEmpty() == WhenEmpty.SKIP) {
          continue;
        }
        Table table = catalog.loadTable(TableIdentifier.parse(t.tableName()));
        var snapshot =
            BatchCommitter.commit(
                table, t.request().withOffsets(next, records).withSummary(dead.summary()), files);
        c.output(t.tableName() + "@" + snapshot.snapshotId());
      }
      COMMIT_MILLIS.update((System.nanoTime() - started) / 1_000_000);
      FaultPoints.reached(FaultPoints.AFTER_COMMIT);
    }

    /** The dead letters the writers counted. */
    private static DeadLetterCounts counted(List<WrittenFiles> written) {
      DeadLetterCounts.Tally all = new DeadLetterCounts.Tally();
      written.stream()
          .filter(w -> w.deadLetters() != null)
          .forEach(w -> all.addAll(w.deadLetters()));
      return all.counts();
    }

    private void checkRatio(DeadLetterCounts dead, long records, String batchId) {
      if (maxDeadLetterRatio == null
          || records == 0
          || dead.total() <= maxDeadLetterRatio * records) {
        return;
      }
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "batch %s: %,d of the %,d records read (%.1f%%) are dead letters, over"
                  + " maxDeadLetterRatio %s (%.1f%%); nothing was committed. Kinds: %s. First: %s."
                  + " Fix the producer, or raise outputOptions.maxDeadLetterRatio to accept them"
                  + " into the dead-letter table",
              batchId,
              dead.total(),
              records,
              100.0 * dead.total() / records,
              maxDeadLetterRatio,
              100 * maxDeadLetterRatio,
              dead.describe(),
              String.join(", ", dead.samples())));
    }
  }
}
