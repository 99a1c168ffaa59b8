package dev.floe.commit;

import dev.floe.config.SinkConfig;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.faults.FaultPoints;
import dev.floe.source.WindowReads;
import dev.floe.table.Catalogs;
import dev.floe.write.WrittenFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits each window of a continuous run once: when a window fires, its files and what was read of
 * each partition are gathered for one committer, which commits them as one batch whose id is the
 * pipeline and the window's end, the same on every replay. The committer's input is stable
 * ({@code @RequiresStableInput}): on Flink it runs only after the checkpoint that holds the window
 * is complete, so a restored job hands it the same window again, and a window found in the table is
 * skipped. A window whose first offsets are below what the table holds (another run of the pipeline
 * committed them) fails the job; nothing of it is committed.
 */
public final class CommitWindows
    extends PTransform<PCollectionList<WindowPart>, PCollection<WindowCommitted>> {
  private static final Logger LOG = LoggerFactory.getLogger(CommitWindows.class);

  /** Summary keys of a window's snapshot. */
  public static final String WINDOW_END = "floe.window-end";

  public static final String OLDEST_RECORD = "floe.oldest-record";

  private final Map<String, String> catalogProperties;
  private final String pipelineId;
  private final String topic;
  private final String table;
  private final String deadLetterTable;
  private final SinkConfig.SaveMode saveMode;
  private final SinkConfig.OverwriteMode overwriteMode;

  /**
   * @param table the target table, {@code namespace.name}
   * @param deadLetterTable the dead-letter table, committed first
   */
  public CommitWindows(
      Map<String, String> catalogProperties,
      String pipelineId,
      String topic,
      String table,
      String deadLetterTable,
      SinkConfig.SaveMode saveMode,
      SinkConfig.OverwriteMode overwriteMode) {
    this.catalogProperties = catalogProperties;
    this.pipelineId = pipelineId;
    this.topic = topic;
    this.table = table;
    this.deadLetterTable = deadLetterTable;
    this.saveMode = saveMode;
    this.overwriteMode = overwriteMode;
  }

  @Override
  public PCollection<WindowCommitted> expand(PCollectionList<WindowPart> parts) {
    return parts
        .apply("All parts", Flatten.pCollections())
        .apply("To one committer", WithKeys.of("window"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(WindowPart.class)))
        .apply("Gather the window", GroupByKey.create())
        .apply("Commit the window", ParDo.of(new CommitWindowFn(this)))
        .setCoder(SerializableCoder.of(WindowCommitted.class))
        .apply("Off the checkpoint", Reshuffle.viaRandomKey())
        .apply("Count into metrics", ParDo.of(new WindowCommitted.CountIntoMetrics()))
        .setCoder(SerializableCoder.of(WindowCommitted.class));
  }

  /** The single committer of every window. */
  private static final class CommitWindowFn
      extends DoFn<KV<String, Iterable<WindowPart>>, WindowCommitted> {
    private final CommitWindows spec;
    private transient Catalog catalog;

    CommitWindowFn(CommitWindows spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      catalog = Catalogs.load(spec.catalogProperties);
    }

    @RequiresStableInput
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<WindowPart>> window,
        BoundedWindow bounds,
        OutputReceiver<WindowCommitted> out) {
      long started = System.currentTimeMillis();
      Instant end = Instant.ofEpochMilli(((IntervalWindow) bounds).end().getMillis());
      String batchId = spec.pipelineId + "@" + end;
      Map<String, List<DataFile>> files = new TreeMap<>();
      DeadLetterCounts.Tally dead = new DeadLetterCounts.Tally();
      Map<Integer, WindowReads.Read> reads = new TreeMap<>();
      for (WindowPart part : window.getValue()) {
        if (part.files() != null) {
          WrittenFiles f = part.files();
          files.computeIfAbsent(f.table(), t -> new ArrayList<>()).addAll(f.files());
          if (f.deadLetters() != null) {
            dead.addAll(f.deadLetters());
          }
        } else {
          reads.merge(part.partition(), part.read(), WindowReads.Read::merge);
        }
      }
      Table target = catalog.loadTable(TableIdentifier.parse(spec.table));
      Snapshot done = Snapshots.ofBatch(target, batchId);
      if (done != null) {
        LOG.info(
            "window {} is committed already (snapshot {}): a replay", batchId, done.snapshotId());
        return;
      }
      Offsets next = Committed.of(target, spec.pipelineId).offsets();
      Map<Integer, Long> first = new TreeMap<>();
      long records = 0;
      long oldest = Long.MAX_VALUE;
      for (Map.Entry<Integer, WindowReads.Read> r : reads.entrySet()) {
        first.put(r.getKey(), r.getValue().firstOffset());
        next = next.with(spec.topic, r.getKey(), r.getValue().lastOffset() + 1);
        records += r.getValue().records();
        oldest = Math.min(oldest, r.getValue().oldestMillis());
      }
      Map<String, String> summary = new TreeMap<>(dead.counts().summary());
      summary.put(WINDOW_END, end.toString());
      if (oldest != Long.MAX_VALUE) {
        summary.put(OLDEST_RECORD, Instant.ofEpochMilli(oldest).toString());
      }
      CommitFence fence = CommitFence.fromOffsets(spec.topic, first);
      FaultPoints.reached(FaultPoints.BEFORE_COMMIT);
      List<DataFile> deadLetterFiles = files.getOrDefault(spec.deadLetterTable, List.of());
      long deadLetters = 0;
      if (!deadLetterFiles.isEmpty()) {
        deadLetters =
            Snapshots.addedRecords(
                commit(
                    spec.deadLetterTable,
                    batchId,
                    fence,
                    next,
                    records,
                    summary,
                    SinkConfig.SaveMode.APPEND,
                    deadLetterFiles));
      }
      Snapshot committed =
          commit(
              spec.table,
              batchId,
              fence,
              next,
              records,
              summary,
              spec.saveMode,
              files.getOrDefault(spec.table, List.of()));
      long now = System.currentTimeMillis();
      out.output(
          new WindowCommitted(
              end.toString(),
              records,
              Snapshots.addedRecords(committed),
              deadLetters,
              now - started,
              oldest == Long.MAX_VALUE ? -1 : now - oldest));
      FaultPoints.reached(FaultPoints.AFTER_COMMIT);
    }

    private Snapshot commit(
        String tableName,
        String batchId,
        CommitFence fence,
        Offsets next,
        long records,
        Map<String, String> summary,
        SinkConfig.SaveMode mode,
        List<DataFile> files) {
      Table t = catalog.loadTable(TableIdentifier.parse(tableName));
      BatchCommitter.Request request =
          new BatchCommitter.Request(
                  spec.pipelineId, batchId, fence, next, mode, spec.overwriteMode, summary)
              .withOffsets(next, records);
      return BatchCommitter.commit(t, request, files);
    }
  }
}
