package dev.floe.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}, checksums included) that sets permissions through
 * {@code java.nio} instead of starting a {@code chmod} process.
 *
 * <p>Without Hadoop's native library, {@link RawLocalFileSystem} runs {@code chmod} in a new
 * process for every file and directory it creates: for a data file, its checksum file and each new
 * partition directory. Started from a JVM holding a gigabyte of heap, each costs milliseconds of a
 * writer's time; a batch of a table partitioned by source and hour creates well over a thousand of
 * them. Catalogs Floe loads use this class for {@code file:} unless the Hadoop configuration names
 * another ({@code fs.file.impl}).
 */
public final class PosixLocalFileSystem extends LocalFileSystem {
  public PosixLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) file system under the checksums. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      String symbols =
          permission.getUserAction().SYMBOL
              + permission.getGroupAction().SYMBOL
              + permission.getOtherAction().SYMBOL;
      try {
        Files.setPosixFilePermissions(
            pathToFile(p).toPath(), PosixFilePermissions.fromString(symbols));
      } catch (UnsupportedOperationException notPosix) {
        super.setPermission(p, permission);
      }
    }
  }
}
