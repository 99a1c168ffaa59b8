package dev.floe.pipeline;

import dev.floe.commit.NotYetCommitted;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.decode.DecodeRecords;
import dev.floe.decode.InputSchema;
import dev.floe.transform.RowStep;
import dev.floe.transform.StepsPlan;
import dev.floe.write.TableTarget;
import dev.floe.write.WriteDataFiles;
import dev.floe.write.WriteDataFiles.TableWriter;
import dev.floe.write.WrittenFiles;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Kafka records to data files in one function: decode, each step, then the table's writer, or the
 * dead-letter table's writer for a record that failed on the way. For pipelines whose steps are all
 * projections and functions, written without a shuffle (distribution none). No collection sits
 * between Kafka and Parquet, so a runner neither stores nor serializes the rows in between (Beam's
 * Spark runner keeps, serialized, every collection that has two readers, such as a step's rows and
 * its dead letters). Emits each table's files; the target table's carry the bundle's dead-letter
 * counts.
 */
final class DecodeTransformWrite
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<WrittenFiles>> {
  private final DecodeRecords.Decoding decoding;
  private final List<RowStep> steps;
  private final Schema rowSchema;
  private final TableTarget target;
  private final TableTarget deadLetters;
  private final NotYetCommitted newDeadLetter;
  private final String batchId;

  /**
   * @param newDeadLetter drops dead letters an earlier attempt already committed
   */
  DecodeTransformWrite(
      InputSchema input,
      BatchTag batch,
      StepsPlan steps,
      TableTarget target,
      TableTarget deadLetters,
      NotYetCommitted newDeadLetter) {
    this.decoding = new DecodeRecords.Decoding(input, batch);
    this.steps = steps.rowSteps(batch);
    this.rowSchema = steps.outputSchema();
    this.target = target;
    this.deadLetters = deadLetters;
    this.newDeadLetter = newDeadLetter;
    this.batchId = batch.batchId();
  }

  @Override
  public PCollection<WrittenFiles> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "Per record",
            ParDo.of(
                new WriteRecords(
                    decoding, steps, newDeadLetter, target, rowSchema, deadLetters, batchId)))
        .setCoder(SerializableCoder.of(WrittenFiles.class));
  }

  private static final class WriteRecords extends DoFn<KafkaRecord<byte[], byte[]>, WrittenFiles> {
    private final DecodeRecords.Decoding decoding;
    private final List<RowStep> steps;
    private final NotYetCommitted newDeadLetter;
    private final TableTarget target;
    private final Schema rowSchema;
    private final TableTarget deadLetters;
    private final String batchId;
    private transient TableWriter rowWriter;
    private transient TableWriter deadLetterWriter;
    private transient DeadLetterCounts.Tally tally;
    private transient Consumer<Row> deadLetterSink;

    WriteRecords(
        DecodeRecords.Decoding decoding,
        List<RowStep> steps,
        NotYetCommitted newDeadLetter,
        TableTarget target,
        Schema rowSchema,
        TableTarget deadLetters,
        String batchId) {
      this.decoding = decoding;
      this.steps = steps;
      this.newDeadLetter = newDeadLetter;
      this.target = target;
      this.rowSchema = rowSchema;
      this.deadLetters = deadLetters;
      this.batchId = batchId;
    }

    @Setup
    public void setup() {
      rowWriter = new TableWriter(target, batchId, rowSchema);
      deadLetterWriter = new TableWriter(deadLetters, batchId, DeadLetters.SCHEMA);
      // one consumer for the DoFn's life, not a method reference per record
      deadLetterSink = this::deadLetter;
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
}
