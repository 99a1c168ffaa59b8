package dev.floe.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.runner.Runners;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distribution hash on the DirectRunner: rows keyed, grouped and written as a batch writes them.
 */
class GroupedWriteTest {
  private static final org.apache.iceberg.Schema TABLE_SCHEMA =
      new org.apache.iceberg.Schema(
          Types.NestedField.required(1, "source", Types.StringType.get()),
          Types.NestedField.required(2, "n", Types.LongType.get()),
          Types.NestedField.required(3, "at", Types.TimestampType.withZone()));
  private static final Schema ROW_SCHEMA =
      Schema.builder()
          .addStringField("source")
          .addInt64Field("n")
          .addLogicalTypeField("at", new MicrosInstant())
          .build();
  private static final Instant EPOCH_MINUS_A_DAY = Instant.parse("1969-12-31T00:00:00Z");
  private static final int SOURCES = 40;
  private static final int ROWS_PER_SOURCE = 250;

  // what the pipeline's last steps saw; the DirectRunner runs them in this JVM
  private static final Set<String> KEYS = new ConcurrentSkipListSet<>();
  private static final Queue<DataFile> FILES = new ConcurrentLinkedQueue<>();
  private static final Map<String, Long> MOST_N_PER_WINDOW =
      new java.util.concurrent.ConcurrentHashMap<>();

  @TempDir Path dir;

  @Test
  void onlyTheDirectRunnerSharesKeysAmongPartitions() {
    assertThat(
            Runners.sharedWriteKeys(
                PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create()))
        .isGreaterThanOrEqualTo(16);
    assertThat(
            Runners.sharedWriteKeys(
                PipelineOptionsFactory.fromArgs("--runner=FlinkRunner").create()))
        .isZero();
    assertThat(PartitionChunks.keyOf("source=a", 0)).isEqualTo("source=a");
    assertThat(Integer.parseInt(PartitionChunks.keyOf("source=a", 4))).isBetween(0, 3);
  }

  @Test
  void partitionsSharingFourKeysStillGetOneFileEachAndEveryRow() throws Exception {
    List<DataFile> files = writeThroughGroups(4);
    assertThat(KEYS).hasSizeLessThanOrEqualTo(4).allMatch(k -> k.matches("[0-3]"));
    assertOneFilePerSource(files);
  }

  @Test
  void aKeyPerPartitionWhenGroupsIsZero() throws Exception {
    List<DataFile> files = writeThroughGroups(0);
    assertThat(KEYS).hasSize(SOURCES).allMatch(k -> k.startsWith("source=s"));
    assertOneFilePerSource(files);
  }

  @Test
  void rowsInWindowsGetOneFilePerPartitionAndWindowEachInItsWindow() throws Exception {
    List<DataFile> files = writeThroughGroups(0, true);
    assertThat(files).hasSize(2 * SOURCES);
    long half = (long) SOURCES * ROWS_PER_SOURCE / 2;
    // rows n < half are in the first window; a file sent in the wrong window would mix them
    assertThat(MOST_N_PER_WINDOW)
        .containsOnlyKeys("0", "10000")
        .containsEntry("0", half - 1)
        .containsEntry("10000", 2 * half - 1);
    Map<String, Long> filesPerSource = new TreeMap<>();
    for (DataFile f : files) {
      filesPerSource.merge(f.partition().get(0, String.class), 1L, Long::sum);
    }
    assertThat(filesPerSource).hasSize(SOURCES).allSatisfy((s, n) -> assertThat(n).isEqualTo(2));
  }

  private List<DataFile> writeThroughGroups(int groups) throws Exception {
    return writeThroughGroups(groups, false);
  }

  /**
   * @param windowed rows in two fixed windows of 10 s: the first half of the rows in the first
   */
  private List<DataFile> writeThroughGroups(int groups, boolean windowed) throws Exception {
    KEYS.clear();
    FILES.clear();
    MOST_N_PER_WINDOW.clear();
    Table table =
        new HadoopTables(new Configuration())
            .create(
                TABLE_SCHEMA,
                PartitionSpec.builderFor(TABLE_SCHEMA).identity("source").build(),
                Map.of(),
                dir.resolve("t" + groups).toString());
    Table copy = SerializableTable.copyOf(table);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < SOURCES * ROWS_PER_SOURCE; i++) {
      rows.add(Row.withSchema(ROW_SCHEMA).addValues("s" + (i % SOURCES), (long) i, at(i)).build());
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<Row> in = p.apply(Create.of(rows).withRowSchema(ROW_SCHEMA));
    if (windowed) {
      long half = rows.size() / 2;
      in =
          in.apply(
                  WithTimestamps.of(
                      r -> new org.joda.time.Instant(r.getInt64("n") < half ? 0 : 10_000)))
              .apply(Window.into(FixedWindows.of(org.joda.time.Duration.standardSeconds(10))));
    }
    PCollection<KV<String, Iterable<byte[]>>> grouped =
        in.apply(ParDo.of(new KeyByPartition(copy, ROW_SCHEMA, groups)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
            .apply(GroupByKey.create());
    grouped.apply("Keys", ParDo.of(new RecordKeys()));
    grouped
        .apply(
            ParDo.of(
                new WriteDataFiles.Grouped(
                    new TableTarget("t", table), "op", ROW_SCHEMA, WriteDataFiles.Tallying.NONE)))
        .setCoder(SerializableCoder.of(WrittenFiles.class))
        .apply("Files", ParDo.of(new RecordFiles()));
    p.run().waitUntilFinish();

    List<DataFile> files = new ArrayList<>(FILES);
    long count = 0;
    long sum = 0;
    for (Record r : AppendedRecords.appendAndRead(table, files)) {
      count++;
      long n = (Long) r.getField("n");
      sum += n;
      assertThat(((OffsetDateTime) r.getField("at")).toInstant()).isEqualTo(at(n));
    }
    long n = (long) SOURCES * ROWS_PER_SOURCE;
    assertThat(count).as("rows read back").isEqualTo(n);
    assertThat(sum).as("every row once").isEqualTo(n * (n - 1) / 2);
    return files;
  }

  /** Around the epoch, before and after, with microseconds. */
  private static Instant at(long n) {
    return EPOCH_MINUS_A_DAY.plusSeconds(n * 37).plusNanos((n % 1_000_000) * 1_000);
  }

  @Test
  void chunksCarryTimestampsAsMicrosAndGiveBackTheSameInstants() throws Exception {
    Schema.FieldType timestamp = Schema.FieldType.logicalType(new MicrosInstant());
    Schema schema =
        Schema.builder()
            .addField("at", timestamp)
            .addNullableField("maybe", timestamp)
            .addArrayField("many", timestamp)
            .addRowField("nested", Schema.builder().addField("inner", timestamp).build())
            .addStringField("s")
            .build();
    Row row =
        Row.withSchema(schema)
            .addValues(
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                null,
                List.of(Instant.parse("2026-11-29T03:45:00.123456Z"), Instant.EPOCH),
                Row.withSchema(schema.getField("nested").getType().getRowSchema())
                    .addValue(Instant.parse("1900-01-01T00:00:00.000001Z"))
                    .build(),
                "x")
            .build();
    Coder<Row> coder = ChunkCoder.of(schema);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    coder.encode(row, chunk);
    coder.encode(row, chunk);
    List<Row> back = ChunkCoder.rows(chunk.toByteArray(), coder);
    assertThat(back).hasSize(2);
    for (Row r : back) {
      assertThat((Object) r.getValue("at")).isEqualTo(row.getValue("at"));
      assertThat((Object) r.getValue("maybe")).isNull();
      assertThat(r.getArray("many")).containsExactlyElementsOf(row.getArray("many"));
      assertThat((Object) r.getRow("nested").getValue("inner"))
          .isEqualTo(row.getRow("nested").getValue("inner"));
      assertThat(r.getString("s")).isEqualTo("x");
    }
    // MicrosInstant's own coder gives the same instants, in more bytes
    ByteArrayOutputStream beams = new ByteArrayOutputStream();
    org.apache.beam.sdk.schemas.SchemaCoder.of(schema).encode(row, beams);
    assertThat(chunk.size() / 2).isLessThan(beams.size());
  }

  private static final class RecordKeys extends DoFn<KV<String, Iterable<byte[]>>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<byte[]>> group) {
      KEYS.add(group.getKey());
    }
  }

  private static final class RecordFiles extends DoFn<WrittenFiles, Void> {
    @ProcessElement
    public void process(@Element WrittenFiles written, BoundedWindow window) {
      FILES.addAll(written.files());
      if (window instanceof IntervalWindow w) {
        for (DataFile f : written.files()) {
          long most = Conversions.fromByteBuffer(Types.LongType.get(), f.upperBounds().get(2));
          MOST_N_PER_WINDOW.merge(String.valueOf(w.start().getMillis()), most, Math::max);
        }
      }
    }
  }

  private static void assertOneFilePerSource(List<DataFile> files) {
    Map<String, Long> rowsPerFilePartition = new TreeMap<>();
    for (DataFile f : files) {
      assertThat(rowsPerFilePartition.put(f.partition().get(0, String.class), f.recordCount()))
          .as("a second file for " + f.partition())
          .isNull();
    }
    assertThat(rowsPerFilePartition)
        .hasSize(SOURCES)
        .allSatisfy((source, count) -> assertThat(count).isEqualTo(ROWS_PER_SOURCE));
  }
}
