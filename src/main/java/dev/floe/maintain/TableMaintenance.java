package dev.floe.maintain;

import dev.floe.table.OrphanFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.io.FileInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table's maintenance, in the order that frees the most: compact small files, expire the
 * snapshots the table's properties no longer keep (which deletes the files only they referenced,
 * the compacted ones among them), delete metadata files beyond the table's metadata log, and delete
 * orphan data files. Each step commits on its own, so a step that fails leaves the earlier ones
 * done.
 */
public final class TableMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  /**
   * @param compaction the compaction planner's options; null skips compaction
   * @param olderThan files younger than this are never deleted: a commit may still need them
   */
  public record Settings(Map<String, String> compaction, Duration olderThan) {
    /** Compaction of partitions with {@code minInputFiles} small files, and the margin. */
    public static Settings of(long minInputFiles, Duration olderThan) {
      return new Settings(
          Map.of(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, String.valueOf(minInputFiles)),
          olderThan);
    }
  }

  /** What maintenance did to one table. */
  public record Report(
      String table,
      Compaction.Result compaction,
      int snapshotsExpired,
      int filesDeletedByExpiry,
      int metadataFilesDeleted,
      int orphanFilesDeleted,
      long orphanBytesDeleted,
      int snapshotsLeft,
      long millis) {

    /** One line: what was compacted, expired and deleted, and how long it took. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%s: %,d data files (%,d bytes) compacted into %,d in %,d partitions; %,d snapshots"
              + " expired (%,d files deleted), %,d left; %,d old metadata files and %,d orphan"
              + " files (%,d bytes) deleted; %.1f s",
          table,
          compaction.filesRewritten(),
          compaction.bytesRewritten(),
          compaction.filesAdded(),
          compaction.groups(),
          snapshotsExpired,
          filesDeletedByExpiry,
          snapshotsLeft,
          metadataFilesDeleted,
          orphanFilesDeleted,
          orphanBytesDeleted,
          millis / 1000.0);
    }
  }

  private TableMaintenance() {}

  public static Report run(Table table, Settings settings) {
    long start = System.nanoTime();
    Compaction.Result compaction =
        settings.compaction() == null
            ? Compaction.Result.NONE
            : Compaction.run(table, settings.compaction());
    table.refresh();
    int before = count(table);
    int deletedByExpiry = expireSnapshots(table);
    int left = count(table);
    List<FileInfo> metadata = OldMetadata.find(table, settings.olderThan());
    metadata.forEach(f -> table.io().deleteFile(f.location()));
    List<FileInfo> orphans = OrphanFiles.find(table, settings.olderThan());
    long orphanBytes = OrphanFiles.delete(table, orphans);
    Report report =
        new Report(
            table.name(),
            compaction,
            before - left,
            deletedByExpiry,
            metadata.size(),
            orphans.size(),
            orphanBytes,
            left,
            (System.nanoTime() - start) / 1_000_000);
    LOG.info(
        "{}: maintained in {} ms: {} snapshots expired ({} files deleted), {} old metadata files"
            + " and {} orphan files deleted, {} snapshots left",
        report.table(),
        report.millis(),
        report.snapshotsExpired(),
        deletedByExpiry,
        metadata.size(),
        orphans.size(),
        report.snapshotsLeft());
    return report;
  }

  /**
   * Expires what {@code history.expire.max-snapshot-age-ms} and {@code
   * history.expire.min-snapshots-to-keep} allow (Iceberg reads both from the table). The pipeline's
   * committed offsets survive: the offsets table property is written with every batch.
   */
  private static int expireSnapshots(Table table) {
    if (table.currentSnapshot() == null) {
      return 0;
    }
    AtomicInteger deleted = new AtomicInteger();
    table
        .expireSnapshots()
        .cleanExpiredFiles(true)
        .deleteWith(
            location -> {
              table.io().deleteFile(location);
              deleted.incrementAndGet();
            })
        .commit();
    table.refresh();
    return deleted.get();
  }

  /** The snapshots of the table as last refreshed. */
  private static int count(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }
}
