package dev.floe.pipeline;

import dev.floe.write.TableTarget;
import dev.floe.write.WriteDataFiles;
import dev.floe.write.WriteDataFiles.TableWriter;
import dev.floe.write.WrittenFiles;
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
 * its dead letters). Emits each table's files; the dead-letter table's carry the bundle's
 * dead-letter counts.
 */
final class DecodeTransformWrite
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<WrittenFiles>> {
  private final RecordRows recordRows;
  private final Schema rowSchema;
  private final TableTarget target;
  private final BundleDeadLetters deadLetters;
  private final String batchId;

  DecodeTransformWrite(
      RecordRows recordRows,
      Schema rowSchema,
      TableTarget target,
      BundleDeadLetters deadLetters,
      String batchId) {
    this.recordRows = recordRows;
    this.rowSchema = rowSchema;
    this.target = target;
    this.deadLetters = deadLetters;
    this.batchId = batchId;
  }

  @Override
  public PCollection<WrittenFiles> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "Per record",
            ParDo.of(new WriteRecords(recordRows, target, rowSchema, deadLetters, batchId)))
        .setCoder(SerializableCoder.of(WrittenFiles.class));
  }

  private static final class WriteRecords extends DoFn<KafkaRecord<byte[], byte[]>, WrittenFiles> {
    private final RecordRows recordRows;
    private final TableTarget target;
    private final Schema rowSchema;
    private final BundleDeadLetters deadLetters;
    private final String batchId;
    private transient TableWriter rowWriter;

    WriteRecords(
        RecordRows recordRows,
        TableTarget target,
        Schema rowSchema,
        BundleDeadLetters deadLetters,
        String batchId) {
      this.recordRows = recordRows;
      this.target = target;
      this.rowSchema = rowSchema;
      this.deadLetters = deadLetters;
      this.batchId = batchId;
    }

    @Setup
    public void setup() {
      rowWriter = new TableWriter(target, batchId, rowSchema);
    }

    @StartBundle
    public void startBundle() {
      rowWriter.reset();
      deadLetters.startBundle();
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record) {
      Row row = recordRows.apply(record, deadLetters);
      if (row != null) {
        rowWriter.write(row);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      WriteDataFiles.output(context, deadLetters.finish());
      WriteDataFiles.output(context, rowWriter.finish(null));
    }
  }
}
