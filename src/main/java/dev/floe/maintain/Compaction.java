package dev.floe.maintain;

import dev.floe.write.InternalParquetWriters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.RewriteDataFilesCommitManager;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a table's small data files into files near its {@code write.target-file-size-bytes},
 * partition by partition. Iceberg's bin-pack planner picks the groups; this class only reads each
 * group's rows and writes them again with Floe's Parquet writers; Iceberg's rewrite commit swaps
 * the files, validated from the snapshot the plan was made on, so rows an ingest appends meanwhile
 * are kept and none is written twice.
 */
public final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

  /** Snapshot summary key that tells a compaction's snapshot from an ingest's. */
  public static final String SUMMARY_KEY = "floe.maintenance";

  /** What a compaction did. */
  public record Result(int groups, int filesRewritten, int filesAdded, long bytesRewritten) {
    static final Result NONE = new Result(0, 0, 0, 0);
  }

  private Compaction() {}

  /**
   * Compacts {@code table}; {@code options} are the planner's ({@code min-input-files}, {@code
   * target-file-size-bytes}, ...).
   */
  public static Result run(Table table, Map<String, String> options) {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return Result.NONE;
    }
    BinPackRewriteFilePlanner planner =
        new BinPackRewriteFilePlanner(table, Expressions.alwaysTrue(), start.snapshotId(), false);
    planner.init(options);
    String operation = UUID.randomUUID().toString();
    Set<RewriteFileGroup> groups = new HashSet<>();
    try (CloseableIterable<RewriteFileGroup> planned = planner.plan().groups()) {
      for (RewriteFileGroup group : planned) {
        group.setOutputFiles(rewrite(table, group, operation));
        groups.add(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (groups.isEmpty()) {
      LOG.info("{}: no data files to compact", table.name());
      return Result.NONE;
    }
    new RewriteDataFilesCommitManager(
            table, start.snapshotId(), true, Map.of(SUMMARY_KEY, "compaction"))
        .commitOrClean(groups);
    Result result =
        new Result(
            groups.size(),
            groups.stream().mapToInt(g -> g.rewrittenFiles().size()).sum(),
            groups.stream().mapToInt(g -> g.addedFiles().size()).sum(),
            groups.stream().mapToLong(RewriteFileGroup::inputFilesSizeInBytes).sum());
    LOG.info(
        "{}: compacted {} data files ({} bytes) into {} in {} partitions",
        table.name(),
        result.filesRewritten(),
        result.bytesRewritten(),
        result.filesAdded(),
        result.groups());
    return result;
  }

  /** Reads the group's rows and writes them to new files of its partition. */
  private static Set<org.apache.iceberg.DataFile> rewrite(
      Table table, RewriteFileGroup group, String operation) {
    PartitionSpec spec = table.specs().get(group.outputSpecId());
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, group.info().globalIndex(), 0)
            .format(FileFormat.PARQUET)
            .operationId(operation)
            .build();
    RollingDataWriter<Record> writer =
        new RollingDataWriter<>(
            InternalParquetWriters.forTable(table),
            files,
            table.io(),
            group.maxOutputFileSize(),
            spec,
            group.info().partition());
    try (writer) {
      for (FileScanTask task : group.fileScanTasks()) {
        try (CloseableIterable<Record> rows =
            Parquet.read(table.io().newInputFile(task.file().location()))
                .project(table.schema())
                .split(task.start(), task.length())
                .createReaderFunc(fileSchema -> InternalReader.create(table.schema(), fileSchema))
                .build()) {
          rows.forEach(writer::write);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HashSet<>(writer.result().dataFiles());
  }
}
