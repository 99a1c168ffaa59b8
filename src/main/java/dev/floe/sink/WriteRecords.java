package dev.floe.sink;

import dev.floe.format.DecodeCloudEvents;
import dev.floe.sink.WriteDataFiles.TableWriter;
import dev.floe.transform.DeadLetterCounts;
import dev.floe.transform.DeadLetters;
import dev.floe.transform.RowStep;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Table;

/**
 * Kafka records to data files in one function: decode, each step, then the table's writer, or the
 * dead-letter table's writer for a record that failed on the way. For pipelines whose steps are
 * all projections and functions, written without a shuffle (distribution none). No collection
 * sits between Kafka and Parquet, so a runner neither stores nor serializes the rows in between
 * (Beam's Spark runner keeps, serialized, every collection that has two readers, such as a step's
 * rows and its dead letters). Emits each table's files; the table's carry the bundle's dead-letter
 * counts.
 */
final class WriteRecords extends DoFn<KafkaRecord<byte[], byte[]>, TableFiles> {
  private final DecodeCloudEvents.Decoding decoding;
  private final List<RowStep> steps;
  private final SerializableFunction<Row, Boolean> newDeadLetter;
  private final IcebergSink.Target rows;
  private final Schema rowSchema;
  private final IcebergSink.Target deadLetters;
  private transient TableWriter rowWriter;
  private transient TableWriter deadLetterWriter;
  private transient DeadLetterCounts.Tally tally;
  private transient Consumer<Row> deadLetterSink;

  /**
   * @param steps the pipeline's steps as functions of a row ({@code Steps#rowSteps})
   * @param newDeadLetter false for a dead letter an earlier attempt at this batch already
   *     committed to the dead-letter table
   * @param rowSchema the schema of the last step's rows
   */
  WriteRecords(DecodeCloudEvents.Decoding decoding, List<RowStep> steps,
      SerializableFunction<Row, Boolean> newDeadLetter, IcebergSink.Target rows, Schema rowSchema,
      IcebergSink.Target deadLetters) {
    this.decoding = decoding;
    this.steps = steps;
    this.newDeadLetter = newDeadLetter;
    this.rows = rows;
    this.rowSchema = rowSchema;
    this.deadLetters = deadLetters;
  }

  @Setup
  public void setup() {
    rowWriter = writer(rows, rowSchema);
    deadLetterWriter = writer(deadLetters, DeadLetters.SCHEMA);
    deadLetterSink = this::deadLetter;
  }

  private static TableWriter writer(IcebergSink.Target target, Schema schema) {
    return new TableWriter(target.table(), target.tableName(), target.request().batchId(), schema);
  }

  @StartBundle
  public void startBundle() {
    rowWriter.reset();
    deadLetterWriter.reset();
    tally = new DeadLetterCounts.Tally();
  }

  @ProcessElement
  public void process(@Element KafkaRecord<byte[], byte[]> record) {
    Row row = decoding.apply(record, deadLetterSink);
    for (int i = 0; i < steps.size() && row != null; i++) {
      row = steps.get(i).apply(row, deadLetterSink);
    }
    if (row != null) {
      rowWriter.write(row);
    }
  }

  private void deadLetter(Row deadLetter) {
    if (newDeadLetter.apply(deadLetter)) {
      tally.add(deadLetter);
      deadLetterWriter.write(deadLetter);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    WriteDataFiles.output(context, deadLetterWriter.finish(null));
    WriteDataFiles.output(context, rowWriter.finish(tally));
  }
}
