package dev.floe.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
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
  /** Hadoop's key for the mask it applies to the files and directories it creates. */
  static final String UMASK = "fs.permissions.umask-mode";

  private static volatile String processUmask;

  public PosixLocalFileSystem() {
    super(new Raw());
  }

  /**
   * The umask of this process, as octal text ({@code 022}, {@code 077}, ...). Hadoop applies its
   * own ({@code 022} unless configured) to every file it creates, so a stricter umask a user or a
   * container sets would be ignored; Floe gives Hadoop the process's. Java cannot ask the operating
   * system for it, so a directory is created with the default mode and its permissions read back.
   */
  static String processUmask() {
    if (processUmask == null) {
      try {
        java.nio.file.Path probe = Files.createTempDirectory("floe-umask").resolve("probe");
        Files.createDirectory(probe);
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(probe)) {
          mode |= 1 << (8 - p.ordinal());
        }
        Files.delete(probe);
        Files.delete(probe.getParent());
        processUmask = String.format("%03o", ~mode & 0777);
      } catch (IOException | UnsupportedOperationException e) {
        processUmask = "022"; // not a POSIX file system: Hadoop's default
      }
    }
    return processUmask;
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
