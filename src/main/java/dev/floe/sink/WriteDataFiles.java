package dev.floe.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Writes rows grouped by table partition as Parquet data files with Iceberg's own writers: one
 * open file per table partition in the bundle (fan-out), rolled at the table's {@code
 * write.target-file-size-bytes}. Emits the files when the bundle finishes; it commits nothing.
 */
final class WriteDataFiles extends DoFn<KV<String, Iterable<Row>>, TableFiles> {
  private static final AtomicLong TASKS = new AtomicLong();

  private final Table table;
  private final String role;
  private final String operationId;
  private final Schema rowSchema;
  private transient TableRecords records;
  private transient FanoutDataWriter<Record> writer;

  /**
   * @param table a serializable copy of the table (location, schema, spec, properties, FileIO)
   * @param role which of the batch's tables the files are for
   * @param operationId the batch id, part of every file name
   */
  WriteDataFiles(Table table, String role, String operationId, Schema rowSchema) {
    this.table = table;
    this.role = role;
    this.operationId = operationId;
    this.rowSchema = rowSchema;
  }

  @Setup
  public void setup() {
    records = new TableRecords(table, rowSchema);
  }

  @StartBundle
  public void startBundle() {
    writer = null;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Row>> partition) {
    if (writer == null) {
      writer = newWriter();
    }
    PartitionSpec spec = table.spec();
    // every row of a group is in the partition the group is keyed by: find it once
    StructLike key = null;
    try {
      for (Row row : partition.getValue()) {
        Record record = records.record(row);
        if (key == null && spec.isPartitioned()) {
          key = records.partitionOf(record);
        }
        writer.write(record, spec, key);
      }
    } catch (UncheckedIOException e) {
      throw cannotWrite(e);
    }
  }

  private IllegalStateException cannotWrite(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new IllegalStateException("cannot write the data files of " + role + " under "
        + table.location() + ": " + root.getMessage() + ". Check that the warehouse has room and"
        + " that this user may write to it; the batch committed nothing");
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException | UncheckedIOException e) {
      throw cannotWrite(e);
    }
    FaultPoints.reached(FaultPoints.WRITE);
    context.output(
        new TableFiles(role, writer.result().dataFiles()),
        GlobalWindow.INSTANCE.maxTimestamp(),
        GlobalWindow.INSTANCE);
    writer = null;
  }

  private FanoutDataWriter<Record> newWriter() {
    OutputFileFactory files =
        OutputFileFactory.builderFor(
                table, ThreadLocalRandom.current().nextInt(1 << 20), TASKS.incrementAndGet())
            .format(FileFormat.PARQUET)
            .operationId(operationId)
            .build();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(table.schema())
            .build();
    long targetSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    return new FanoutDataWriter<>(writers, files, table.io(), targetSize);
  }
}
