package dev.floe.write;

import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import dev.floe.faults.FaultPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows as Parquet data files with Iceberg's own writers: one open file per table partition
 * in the bundle ({@link BoundedFanout}), rolled at the table's {@code write.target-file-size-bytes}
 * and when the open files outgrow the writer's share of the heap. Emits the files when the bundle
 * finishes; it commits nothing. {@link Grouped} takes rows already grouped by partition
 * (distribution hash), {@link Ungrouped} rows as the steps produced them (distribution none).
 */
public abstract class WriteDataFiles<InputT> extends DoFn<InputT, WrittenFiles> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteDataFiles.class);
  private static final AtomicLong TASKS = new AtomicLong();

  /** Files closed before the end of their bundle to keep a writer within its memory budget. */
  private static final Counter FILES_CLOSED_FOR_MEMORY =
      Metrics.counter("floe", "files_closed_for_memory");

  final TableTarget target;
  private final String operationId;
  private final Schema rowSchema;
  private final Tallying tallying;
  transient TableWriter writer;

  /** The dead-letter counts of the rows written, or null when they are counted elsewhere. */
  transient DeadLetterCounts.Tally tally;

  /** Whether the rows written are dead letters to count, for the commit's summary. */
  public enum Tallying {
    /** Rows of a table, or dead letters the batch counts elsewhere. */
    NONE,
    /** Dead letters: their counts by kind travel with the files ({@link WrittenFiles}). */
    DEAD_LETTERS
  }

  /**
   * @param target the table the files are for
   * @param operationId the batch id, part of every file name
   */
  WriteDataFiles(TableTarget target, String operationId, Schema rowSchema, Tallying tallying) {
    this.target = target;
    this.operationId = operationId;
    this.rowSchema = rowSchema;
    this.tallying = tallying;
  }

  @Setup
  public void setup() {
    writer = new TableWriter(target, operationId, rowSchema);
  }

  @StartBundle
  public void startBundle() {
    writer.reset();
    tally = tallying == Tallying.DEAD_LETTERS ? new DeadLetterCounts.Tally() : null;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    output(context, writer.finish(tally));
  }

  /** Emits a bundle's files (none when {@code files} is null). */
  public static void output(DoFn<?, WrittenFiles>.FinishBundleContext context, WrittenFiles files) {
    if (files != null) {
      context.output(files, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }

  /**
   * One table's open files in one bundle: rows in, data files out. The files open at the first row
   * and close in {@link #finish}.
   */
  public static final class TableWriter {
    private final Table table;
    private final String role;
    private final String operationId;
    final TableRecords records;
    private BoundedFanout files;

    /**
     * Rows written and not yet added to {@link WriteProgress}: a shared counter per row would cost.
     */
    private long unreported;

    private static final int REPORT_EVERY = 10_000;

    public TableWriter(TableTarget target, String operationId, Schema rowSchema) {
      this.table = target.table();
      this.role = target.name();
      this.operationId = operationId;
      this.records = new TableRecords(table, rowSchema);
    }

    /** Forgets files a failed bundle left open: they are never committed. */
    public void reset() {
      files = null;
    }

    /** Writes one row into its partition. */
    public void write(Row row) {
      Record record = records.record(row);
      write(record, records.partitioned() ? records.partitionOf(record) : null);
    }

    /** Writes one record into {@code partition} (null for an unpartitioned table). */
    void write(Record record, StructLike partition) {
      if (files == null) {
        files = newFiles();
      }
      try {
        files.write(record, partition);
        if (++unreported == REPORT_EVERY) {
          WriteProgress.add(unreported);
          unreported = 0;
        }
      } catch (UncheckedIOException | FSError e) {
        // Hadoop's local file system reports a full disk as an Error, FSError
        throw cannotWrite(e);
      }
    }

    /**
     * Closes the open files: what the bundle wrote, with {@code deadLetters}; null when it wrote
     * nothing and counted no dead letters.
     */
    public WrittenFiles finish(DeadLetterCounts.Tally deadLetters) {
      if (files == null) {
        return deadLetters == null || deadLetters.isEmpty()
            ? null
            : new WrittenFiles(role, List.of(), deadLetters);
      }
      try {
        files.close();
      } catch (IOException | UncheckedIOException | FSError e) {
        throw cannotWrite(e);
      }
      WriteProgress.add(unreported);
      unreported = 0;
      FILES_CLOSED_FOR_MEMORY.inc(files.closedForMemory());
      if (files.closedForMemory() > 0) {
        LOG.info(
            "{}: {} of {} files closed before the end of their bundle to stay within {} MB"
                + " of open files; give the run more heap for fewer, larger files",
            role,
            files.closedForMemory(),
            files.dataFiles().size(),
            bufferBytes() >> 20);
      }
      LOG.debug("{}: a bundle wrote {} data files", role, files.dataFiles().size());
      FaultPoints.reached(FaultPoints.WRITE);
      WrittenFiles out = new WrittenFiles(role, files.dataFiles(), deadLetters);
      files = null;
      return out;
    }

    /**
     * A write that failed for lack of room or permission: said with the table and where it writes,
     * and as a {@link RunFailure}, so that the user reads this and not the bare I/O error.
     */
    private RunFailure cannotWrite(Throwable e) {
      Throwable root = Causes.root(e);
      return new RunFailure(
          "cannot write the data files of table "
              + role
              + " under "
              + table.location()
              + ": "
              + root.getMessage()
              + ". Nothing was committed: make room on the warehouse or let this user write to"
              + " it, and run again; the run continues from the offsets the table holds",
          e);
    }

    private BoundedFanout newFiles() {
      OutputFileFactory factory =
          OutputFileFactory.builderFor(
                  table, ThreadLocalRandom.current().nextInt(1 << 20), TASKS.incrementAndGet())
              .format(FileFormat.PARQUET)
              .operationId(operationId)
              .build();
      InternalParquetWriters writers = InternalParquetWriters.forTable(table);
      long targetSize =
          PropertyUtil.propertyAsLong(
              table.properties(),
              TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
              TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
      return new BoundedFanout(writers, factory, table.spec(), targetSize, bufferBytes());
    }
  }

  /**
   * What one writer's open files may hold before it closes the largest: 20% of the heap, shared by
   * as many writers as there are cores (a runner runs about one writer per core). A batch of a
   * million typical events stays under it, one file per partition and worker; a larger batch closes
   * files early rather than filling the heap further (with 40%, a batch five times larger took 1.3
   * times the memory; docs/performance.md).
   */
  static long bufferBytes() {
    Runtime jvm = Runtime.getRuntime();
    return jvm.maxMemory() / 5 / Math.max(1, jvm.availableProcessors());
  }

  /**
   * Parquet settings for Floe's writers where the table sets none. A batch keeps a file open per
   * table partition and worker, and Parquet holds each column's current page uncompressed (1 MB by
   * default) and a dictionary of every distinct value (up to 2 MB of values, several times that on
   * the heap) until the page or file is done: with hundreds of open files that is most of a batch
   * in memory, growing with its size. Pages of 64 KB are compressed and set aside early; a 2 KB
   * dictionary still holds what repeats (sources, types, statuses: up to a few hundred short
   * values) and gives up early on what does not (ids, trace ids, times, measurements), which also
   * saves hashing and rehashing them, with files of the same size (the measurements are in {@code
   * docs/performance.md}). A table's own {@code write.parquet.*} settings win.
   */
  static Map<String, String> writerProperties(Table table) {
    Map<String, String> props = new java.util.HashMap<>();
    props.put(TableProperties.PARQUET_DICT_SIZE_BYTES, DICTIONARY_BYTES);
    props.put(TableProperties.PARQUET_PAGE_SIZE_BYTES, PAGE_BYTES);
    props.keySet().removeAll(table.properties().keySet());
    return props;
  }

  /** The dictionary size of {@link #writerProperties}. */
  static final String DICTIONARY_BYTES = "2048";

  /** The page size of {@link #writerProperties}. */
  static final String PAGE_BYTES = "65536";

  /**
   * Rows grouped by table partition, in chunks ({@link PartitionChunks}): every chunk holds rows of
   * one partition, so the partition is found once per chunk; a group holds one partition, or
   * several when partitions share keys.
   */
  static final class Grouped extends WriteDataFiles<KV<String, Iterable<byte[]>>> {
    private final Coder<Row> rowCoder;

    Grouped(TableTarget target, String operationId, Schema rowSchema, Tallying tallying) {
      super(target, operationId, rowSchema, tallying);
      this.rowCoder = ChunkCoder.of(rowSchema);
    }

    /**
     * Writes the group and emits its files at once, in the group's window: each partition is in one
     * group of a window, so it gets one file per window (per batch), and a continuous run's files
     * reach the committer with their window.
     */
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<byte[]>> group, OutputReceiver<WrittenFiles> out) {
      for (byte[] chunk : group.getValue()) {
        StructLike key = null;
        for (Row row : ChunkCoder.rows(chunk, rowCoder)) {
          Record record = writer.records.record(row);
          if (key == null && writer.records.partitioned()) {
            key = writer.records.partitionOf(record);
          }
          writer.write(record, key);
          if (tally != null) {
            tally.add(row);
          }
        }
      }
      WrittenFiles files = writer.finish(tally);
      tally = tally == null ? null : new DeadLetterCounts.Tally();
      if (files != null) {
        out.output(files);
      }
    }
  }

  /** Rows in any order: each row's partition is computed (the writer copies new keys). */
  static final class Ungrouped extends WriteDataFiles<Row> {
    Ungrouped(TableTarget target, String operationId, Schema rowSchema, Tallying tallying) {
      super(target, operationId, rowSchema, tallying);
    }

    @ProcessElement
    public void process(@Element Row row) {
      writer.write(row);
      if (tally != null) {
        tally.add(row);
      }
    }
  }
}
