package dev.floe.maintain;

import dev.floe.table.OrphanFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Table metadata files ({@code *.metadata.json}) older than the versions the table keeps in its
 * metadata log ({@code write.metadata.previous-versions-max}): left behind when {@code
 * write.metadata.delete-after-commit.enabled} is off, or by commits that lost a race.
 */
final class OldMetadata {
  private OldMetadata() {}

  /** The metadata files no longer in the table's log, last modified before the margin. */
  static List<FileInfo> find(Table table, Duration olderThan) {
    if (!(table instanceof HasTableOperations ops)
        || !(table.io() instanceof SupportsPrefixOperations io)) {
      return List.of();
    }
    TableMetadata current = ops.operations().refresh();
    Set<String> kept = new HashSet<>();
    kept.add(OrphanFiles.normalize(current.metadataFileLocation()));
    current.previousFiles().forEach(entry -> kept.add(OrphanFiles.normalize(entry.file())));
    long cutoff = System.currentTimeMillis() - olderThan.toMillis();
    List<FileInfo> old = new ArrayList<>();
    for (FileInfo f : io.listPrefix(table.location() + "/metadata")) {
      if (f.location().endsWith(".metadata.json")
          && !kept.contains(OrphanFiles.normalize(f.location()))
          && f.createdAtMillis() < cutoff) {
        old.add(f);
      }
    }
    return old;
  }
}
