package dev.floe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.config.PipelineConfig;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.decode.CloudEventDecoder;
import dev.floe.demo.SampleEvents;
import dev.floe.pipeline.BatchJob;
import dev.floe.table.Catalogs;
import dev.floe.table.TableDefinition;
import dev.floe.transform.RowStep;
import dev.floe.transform.StepsPlan;
import dev.floe.types.IcebergSchemas;
import dev.floe.write.InternalParquetWriters;
import dev.floe.write.TableRecords;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench --micro}: the per-record hot path of the reference pipeline in one thread, no runner
 * and no broker, stage by stage over the same in-memory events, so that per-record costs can be
 * compared across changes: decode (Kafka value to CloudEvent row), steps (the pipeline's steps as
 * the functions a writer runs them with: the SQL step's projection {@code SELECT *, time AS
 * _timestamp}, then set_type's casts), record (row to Iceberg record and its partition) and write
 * (Iceberg's Parquet writers, one open file per partition, closed at the end of the round).
 */
final class HotPathBench {
  private final PipelineConfig config;
  private final int events;
  private final Path dir;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();

  HotPathBench(PipelineConfig config, int events, Path dir, PrintStream out) {
    this.config = config;
    this.events = events;
    this.dir = dir;
    this.out = out;
  }

  /**
   * Runs {@code warmup} unreported rounds, then {@code rounds} reported ones; 0 when all passed.
   */
  int run(int warmup, int rounds) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events);
    for (SampleEvents.Event e : SampleEvents.microBench(events)) {
      records.add(e.record());
    }
    CloudEventDecoder decoder = new CloudEventDecoder(config.input());
    StepsPlan described = BatchJob.describe(config);
    if (!described.runsAsOneFunction()) {
      throw new IllegalArgumentException(
          "bench --micro runs pipelines whose steps are"
              + " projections with functions, as the reference pipeline's; "
              + config.source()
              + " has a step Beam SQL runs");
    }
    List<RowStep> steps = described.rowSteps(new BatchTag(config.name(), "micro"));
    Schema rowSchema = described.outputSchema();
    Table table = table(rowSchema);
    TableRecords tableRecords = new TableRecords(table, rowSchema);
    List<Row> deadLetters = new ArrayList<>();
    java.util.function.Consumer<Row> deadLetterSink = deadLetters::add;
    Map<String, List<Double>> perStage = new LinkedHashMap<>();
    for (int round = 1; round <= warmup + rounds; round++) {
      Map<String, Double> nanos = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      Row[] decoded = new Row[records.size()];
      for (int i = 0; i < decoded.length; i++) {
        ProducerRecord<byte[], byte[]> r = records.get(i);
        decoded[i] = decoder.decode("micro", 0, i, 0L, r.headers(), r.key(), r.value());
      }
      long t1 = System.nanoTime();
      Row[] rows = new Row[decoded.length];
      for (int i = 0; i < rows.length; i++) {
        Row row = decoded[i];
        for (int s = 0; s < steps.size() && row != null; s++) {
          row = steps.get(s).apply(row, deadLetterSink);
        }
        rows[i] = row;
      }
      if (!deadLetters.isEmpty()) {
        throw new IllegalStateException(
            "bench --micro: the sample events became dead letters: " + deadLetters.get(0));
      }
      long t2 = System.nanoTime();
      Record[] icebergRecords = new Record[rows.length];
      PartitionKey[] keys = new PartitionKey[rows.length];
      for (int i = 0; i < rows.length; i++) {
        icebergRecords[i] = tableRecords.record(rows[i]);
        keys[i] = tableRecords.partitionOf(icebergRecords[i]).copy();
      }
      long t3 = System.nanoTime();
      DataWriteResult written = write(table, icebergRecords, keys);
      long t4 = System.nanoTime();
      nanos.put("decode", (t1 - t0) / (double) events);
      nanos.put("steps", (t2 - t1) / (double) events);
      nanos.put("record", (t3 - t2) / (double) events);
      nanos.put("write", (t4 - t3) / (double) events);
      nanos.put("total", (t4 - t0) / (double) events);
      if (round > warmup) {
        ObjectNode line = json.createObjectNode();
        line.put("micro_round", round - warmup);
        line.put("events", events);
        nanos.forEach((stage, ns) -> line.put(stage + "_ns_per_record", Math.round(ns)));
        line.put("data_files", written.dataFiles().size());
        line.put(
            "bytes_written",
            written.dataFiles().stream().mapToLong(f -> f.fileSizeInBytes()).sum());
        out.println(json.writeValueAsString(line));
        nanos.forEach(
            (stage, ns) -> perStage.computeIfAbsent(stage, s -> new ArrayList<>()).add(ns));
      }
    }
    out.printf("%nmedians of %d round(s), %,d events, one thread%n", rounds, events);
    out.printf("%-8s %14s %16s%n", "stage", "ns/record", "records/s");
    perStage.forEach(
        (stage, values) -> {
          double median = Double.parseDouble(BenchTable.median(values));
          out.printf("%-8s %14.0f %16.0f%n", stage, median, 1e9 / median);
        });
    return 0;
  }

  private Table table(Schema rowSchema) throws IOException {
    Path location = dir.resolve("table");
    ChildRuns.deleteRecursively(location);
    Files.createDirectories(dir);
    org.apache.iceberg.Schema schema = IcebergSchemas.toIceberg(rowSchema);
    TableDefinition table = TableDefinition.target(config);
    return new HadoopTables(Catalogs.hadoopConfiguration())
        .create(schema, table.partitionSpec(schema), table.properties(), location.toString());
  }

  private static DataWriteResult write(Table table, Record[] records, PartitionKey[] keys)
      throws IOException {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
    long targetSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(
            InternalParquetWriters.forTable(table), files, table.io(), targetSize);
    try (writer) {
      for (int i = 0; i < records.length; i++) {
        writer.write(records[i], table.spec(), keys[i]);
      }
    }
    DataWriteResult result = writer.result();
    // nothing is committed: the files of a round go with the round
    for (var f : result.dataFiles()) {
      table.io().deleteFile(f.location());
    }
    return result;
  }
}
