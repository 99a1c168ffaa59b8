package dev.floe.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixLocalFileSystemTest {
  @TempDir Path dir;

  @Test
  void catalogsServeLocalFilesWithIt() throws Exception {
    try (FileSystem fs =
        FileSystem.newInstance(URI.create("file:///"), Catalogs.hadoopConfiguration())) {
      assertThat(fs).isInstanceOf(PosixLocalFileSystem.class);
    }
  }

  @Test
  void filesAndDirectoriesGetThePermissionsHadoopAsksFor() throws Exception {
    try (FileSystem fs =
        FileSystem.newInstance(URI.create("file:///"), Catalogs.hadoopConfiguration())) {
      org.apache.hadoop.fs.Path sub = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "a/b");
      assertThat(fs.mkdirs(sub, new FsPermission((short) 0750))).isTrue();
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(sub, "data.parquet");
      try (FSDataOutputStream out = fs.create(file, false)) {
        out.write("rows".getBytes(StandardCharsets.UTF_8));
      }
      fs.setPermission(file, new FsPermission((short) 0640));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))))
          .isEqualTo("rwxr-x---");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("a/b/data.parquet"))))
          .isEqualTo("rw-r-----");
      assertThat(Files.readString(dir.resolve("a/b/data.parquet"))).isEqualTo("rows");
      // the checksums of Hadoop's local file system are still written and checked
      assertThat(dir.resolve("a/b/.data.parquet.crc")).exists();
      try (var in = fs.open(file)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rows");
      }
    }
  }
}
