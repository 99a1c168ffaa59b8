package dev.floe.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Files under a table's {@code data/} that no snapshot references: what batches that crashed or
 * lost a race left behind. Only files older than a margin are taken, so the files of a batch that
 * is still running are left alone.
 */
public final class OrphanFiles {
  private OrphanFiles() {}

  /** The orphan files of {@code table} last modified more than {@code olderThan} ago. */
  public static List<FileInfo> find(Table table, Duration olderThan) {
    if (!(table.io() instanceof SupportsPrefixOperations io)) {
      throw new IllegalStateException(
          "the table's FileIO ("
              + table.io().getClass().getName()
              + ") cannot list files, so orphan files cannot be found");
    }
    Set<String> referenced = referenced(table);
    long cutoff = System.currentTimeMillis() - olderThan.toMillis();
    List<FileInfo> orphans = new ArrayList<>();
    try {
      for (FileInfo f : io.listPrefix(table.location() + "/data")) {
        if (!referenced.contains(normalize(f.location())) && f.createdAtMillis() < cutoff) {
          orphans.add(f);
        }
      }
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof java.io.FileNotFoundException)) {
        throw e;
      }
      // no data directory: the table never had a file written
    }
    return orphans;
  }

  /** Deletes the files; returns how many bytes they held. */
  public static long delete(Table table, List<FileInfo> files) {
    long bytes = 0;
    for (FileInfo f : files) {
      table.io().deleteFile(f.location());
      bytes += f.size();
    }
    return bytes;
  }

  private static Set<String> referenced(Table table) {
    Set<String> out = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      for (ManifestFile m : s.allManifests(table.io())) {
        try (CloseableIterable<? extends ContentFile<?>> files =
            m.content() == ManifestContent.DATA
                ? ManifestFiles.read(m, table.io(), table.specs())
                : ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
          files.forEach(f -> out.add(normalize(f.location())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  /** {@code file:/x} and {@code file:///x} name the same file. */
  public static String normalize(String location) {
    return location.replaceFirst("^file:/+", "file:/");
  }
}
