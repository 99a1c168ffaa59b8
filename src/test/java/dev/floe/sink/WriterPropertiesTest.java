package dev.floe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
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
    Table plain = tables.create(SCHEMA, PartitionSpec.unpartitioned(), Map.of(),
        dir.resolve("plain").toString());
    assertThat(WriteDataFiles.writerProperties(plain)).isEqualTo(Map.of(
        "write.parquet.dict-size-bytes", "8192", "write.parquet.page-size-bytes", "65536"));

    Table own = tables.create(SCHEMA, PartitionSpec.unpartitioned(),
        Map.of("write.parquet.page-size-bytes", "1048576"), dir.resolve("own").toString());
    assertThat(WriteDataFiles.writerProperties(own))
        .isEqualTo(Map.of("write.parquet.dict-size-bytes", "8192"));
  }
}
