package dev.floe.pipeline;

import dev.floe.commit.CommitWindows;
import dev.floe.commit.Committed;
import dev.floe.commit.DropCommitted;
import dev.floe.commit.NotYetCommitted;
import dev.floe.commit.WindowPart;
import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig.Distribution;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import dev.floe.runner.Runners;
import dev.floe.source.KafkaStreamRead;
import dev.floe.source.StopReading;
import dev.floe.source.WindowReads;
import dev.floe.table.PipelineTables;
import dev.floe.types.IcebergSchemas;
import dev.floe.write.TableTarget;
import dev.floe.write.WriteRows;
import dev.floe.write.WrittenFiles;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.iceberg.Table;

/**
 * The Beam graph of a continuous run, one streaming job: read the topic from the committed offsets
 * on, in fixed windows of {@code triggerDuration} of processing time (each holds a contiguous
 * offset range of each partition), drop what the table already holds, decode, run the steps (a SQL
 * aggregate runs per window), write each window's rows grouped by table partition, and commit each
 * window once ({@link CommitWindows}).
 */
final class StreamingGraph {
  /** The dead letters of a continuous run name the run; their window is in the snapshot. */
  private static final String DEAD_LETTER_BATCH = "continuous";

  private final BatchJob job;
  private final Map<Integer, Long> startOffsets;
  private final Long deadlineMillis;

  /**
   * @param startOffsets where each partition's read starts: the committed offsets, or the starting
   *     offsets of a first run
   * @param deadlineMillis when reading stops (maxReadTime), epoch milliseconds; null for never
   */
  StreamingGraph(BatchJob job, Map<Integer, Long> startOffsets, Long deadlineMillis) {
    this.job = job;
    this.startOffsets = startOffsets;
    this.deadlineMillis = deadlineMillis;
  }

  void build(Pipeline p) {
    PipelineConfig config = job.config();
    PipelineTables t = job.tables();
    String run = UUID.randomUUID().toString();
    BatchTag batch = new BatchTag(config.name(), DEAD_LETTER_BATCH);
    Table target = t.loadOrCreate(t.target(), IcebergSchemas.toIceberg(job.steps().outputSchema()));
    Table deadLetterTable =
        t.loadOrCreate(t.deadLetters(), IcebergSchemas.toIceberg(DeadLetters.SCHEMA));
    String targetName = t.target().id().toString();
    String deadLetterName = t.deadLetters().id().toString();

    PCollection<KafkaRecord<byte[], byte[]>> records =
        p.apply(
                "Read " + config.input().topic(),
                new KafkaStreamRead(
                    config.input().bootstrapServers(),
                    config.input().consumerProperties(),
                    config.input().topic(),
                    startOffsets,
                    new StopReading(deadlineMillis)))
            .apply(
                "Windows of " + config.streaming().triggerDuration(),
                Window.into(
                    FixedWindows.of(
                        org.joda.time.Duration.millis(
                            config.streaming().triggerDuration().toMillis()))))
            .apply(
                "Drop records committed already",
                ParDo.of(new DropCommitted(t.catalogProperties(), targetName, config.name())));
    PCollection<KV<Integer, WindowReads.Read>> reads =
        records.apply("What each window read", new WindowReads());

    RowsWithDeadLetters rows =
        DecodeAndSteps.apply(
            records,
            job,
            batch,
            new NotYetCommitted(Committed.of(deadLetterTable, config.name()).offsets()));
    PCollection<Row> deadLetters = rows.deadLetters();

    int sharedKeys = Runners.sharedWriteKeys(p.getOptions());
    PCollection<WrittenFiles> deadLetterFiles =
        deadLetters.apply(
            "Write " + deadLetterName,
            new WriteRows(
                    new TableTarget(deadLetterName, deadLetterTable),
                    run,
                    Distribution.HASH,
                    sharedKeys)
                .tallyingDeadLetters());
    PCollection<WrittenFiles> rowFiles =
        rows.rows()
            .apply(
                "Write " + targetName,
                new WriteRows(
                    new TableTarget(targetName, target), run, Distribution.HASH, sharedKeys));

    PCollectionList.of(parts("Dead-letter files", deadLetterFiles))
        .and(parts("Table files", rowFiles))
        .and(
            reads
                .apply(
                    "Reads",
                    MapElements.into(TypeDescriptor.of(WindowPart.class))
                        .via(r -> WindowPart.of(r.getKey(), r.getValue())))
                .setCoder(SerializableCoder.of(WindowPart.class)))
        .apply(
            "Commit each window",
            new CommitWindows(
                t.catalogProperties(),
                config.name(),
                config.input().topic(),
                targetName,
                deadLetterName,
                config.sink().saveMode(),
                config.sink().overwriteMode()));
  }

  private static PCollection<WindowPart> parts(String name, PCollection<WrittenFiles> files) {
    return files
        .apply(name, MapElements.into(TypeDescriptor.of(WindowPart.class)).via(WindowPart::of))
        .setCoder(SerializableCoder.of(WindowPart.class));
  }
}
