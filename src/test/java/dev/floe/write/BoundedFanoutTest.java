package dev.floe.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFanoutTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "source", Types.StringType.get()),
          Types.NestedField.required(2, "n", Types.LongType.get()),
          Types.NestedField.required(3, "text", Types.StringType.get()));
  private static final int ROWS = 30_000;

  @TempDir Path dir;

  @Test
  void oneFilePerPartitionWithinTheBudget() throws Exception {
    Table table = table("roomy");
    List<DataFile> files = write(table, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(files).hasSize(3);
    assertThat(files)
        .extracting(f -> f.partition().get(0, String.class))
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(readBack(table, files)).isEqualTo(ROWS);
  }

  @Test
  void closesTheLargestFilesWhenTheOpenOnesOutgrowTheBudgetAndLosesNoRow() throws Exception {
    Table table = table("tight");
    // 30,000 rows of ~100 bytes: ~3 MB in all, against 256 KB of buffers
    BoundedFanout[] writer = new BoundedFanout[1];
    List<DataFile> files = write(table, Long.MAX_VALUE, 256 * 1024, writer);
    assertThat(writer[0].closedForMemory()).isPositive();
    assertThat(files.size()).isEqualTo(3 + writer[0].closedForMemory());
    assertThat(readBack(table, files)).isEqualTo(ROWS);
  }

  @Test
  void rollsAFileAtTheTargetSize() throws Exception {
    Table table = table("rolling");
    List<DataFile> files = write(table, 64 * 1024, Long.MAX_VALUE);
    assertThat(files.size()).isGreaterThan(3);
    assertThat(readBack(table, files)).isEqualTo(ROWS);
  }

  private Table table(String name) {
    return new HadoopTables(new Configuration())
        .create(
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).identity("source").build(),
            Map.of(),
            dir.resolve(name).toString());
  }

  private List<DataFile> write(Table table, long target, long budget) throws Exception {
    return write(table, target, budget, new BoundedFanout[1]);
  }

  private List<DataFile> write(Table table, long target, long budget, BoundedFanout[] out)
      throws Exception {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
    BoundedFanout writer =
        new BoundedFanout(
            InternalParquetWriters.forTable(table), files, table.spec(), target, budget);
    out[0] = writer;
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    String[] sources = {"a", "b", "c"};
    for (int i = 0; i < ROWS; i++) {
      Record r = GenericRecord.create(SCHEMA);
      r.set(0, sources[i % 3]);
      r.set(1, (long) i);
      r.set(2, "text " + i + " " + "x".repeat(80) + i * 7919L);
      key.partition(r);
      writer.write(r, key);
    }
    writer.close();
    return new ArrayList<>(writer.dataFiles());
  }

  private static long readBack(Table table, List<DataFile> files) throws Exception {
    List<Record> records = AppendedRecords.appendAndRead(table, files);
    long sum = records.stream().mapToLong(r -> (Long) r.getField("n")).sum();
    assertThat(sum).isEqualTo((long) ROWS * (ROWS - 1) / 2);
    return records.size();
  }
}
