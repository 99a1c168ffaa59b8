package dev.floe.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.table.Catalogs;
import dev.floe.table.PosixLocalFileSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopConfigurable;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterPropertiesTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.StringType.get()));

  @Test
  void smallPagesAndDictionariesUnlessTheTableSetsItsOwn(@TempDir Path dir) {
    HadoopTables tables = new HadoopTables(new Configuration());
    Table plain =
        tables.create(
            SCHEMA, PartitionSpec.unpartitioned(), Map.of(), dir.resolve("plain").toString());
    assertThat(WriteDataFiles.writerProperties(plain))
        .isEqualTo(
            Map.of(
                "write.parquet.dict-size-bytes", "2048", "write.parquet.page-size-bytes", "65536"));

    Table own =
        tables.create(
            SCHEMA,
            PartitionSpec.unpartitioned(),
            Map.of("write.parquet.page-size-bytes", "1048576"),
            dir.resolve("own").toString());
    assertThat(WriteDataFiles.writerProperties(own))
        .isEqualTo(Map.of("write.parquet.dict-size-bytes", "2048"));
  }

  @Test
  void writersSeeTheSettingsThatAreNotHadoopDefaultsAlsoInATask(@TempDir Path dir)
      throws Exception {
    Configuration conf = Catalogs.hadoopConfiguration();
    conf.set("fs.s3a.connection.maximum", "7"); // a default, changed
    conf.set("fs.s3a.attempts.maximum", conf.get("fs.s3a.attempts.maximum")); // set, unchanged
    conf.set("parquet.compression.codec.zstd.level", "9");
    Table table =
        new HadoopTables(conf)
            .create(SCHEMA, PartitionSpec.unpartitioned(), Map.of(), dir.resolve("t").toString());
    Map<String, String> expected =
        Map.of(
            "fs.file.impl", PosixLocalFileSystem.class.getName(),
            "fs.s3a.connection.maximum", "7",
            "parquet.compression.codec.zstd.level", "9");
    assertThat(conf.size()).isGreaterThan(300);

    assertThat(settings(InternalParquetWriters.userSettings(confOf(table)))).isEqualTo(expected);
    // as a task gets the table: its configuration no longer knows where each entry came from
    assertThat(settings(InternalParquetWriters.userSettings(confOf(sentToATask(table)))))
        .isEqualTo(expected);
  }

  private static Configuration confOf(Table table) {
    return ((HadoopConfigurable) table.io()).getConf();
  }

  private static Table sentToATask(Table table) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(SerializableTable.copyOf(table));
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (Table) in.readObject();
    }
  }

  private static Map<String, String> settings(Configuration conf) {
    Map<String, String> out = new HashMap<>();
    conf.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
