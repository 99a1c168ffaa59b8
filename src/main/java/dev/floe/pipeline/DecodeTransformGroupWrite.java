package dev.floe.pipeline;

import dev.floe.write.PartitionChunks;
import dev.floe.write.TableTarget;
import dev.floe.write.WriteChunks;
import dev.floe.write.WrittenFiles;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Kafka records to data files grouped by table partition (distribution hash), with one function
 * before the grouping: decode, each step and the keying by partition ({@link PartitionChunks}) per
 * record, and dead letters written where they are made ({@link BundleDeadLetters}). Then the chunks
 * are grouped and written ({@link WriteChunks}). For pipelines whose steps are all projections and
 * functions. A runner that keeps every collection of a bundle until the next step takes it (Beam's
 * Direct runner) holds one collection of the batch before the grouping instead of three, and
 * schedules three steps fewer. Emits both tables' files; the dead-letter table's carry the
 * dead-letter counts.
 */
final class DecodeTransformGroupWrite
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<WrittenFiles>> {
  private static final TupleTag<KV<String, byte[]>> CHUNKS = new TupleTag<>() {};
  private static final TupleTag<WrittenFiles> DEAD_LETTER_FILES = new TupleTag<>() {};

  private final RecordRows recordRows;
  private final Schema rowSchema;
  private final TableTarget target;
  private final BundleDeadLetters deadLetters;
  private final String batchId;
  private final int sharedKeys;

  /**
   * @param sharedKeys how many keys the partitions share on their way to the writers; 0 for a key
   *     per partition
   */
  DecodeTransformGroupWrite(
      RecordRows recordRows,
      Schema rowSchema,
      TableTarget target,
      BundleDeadLetters deadLetters,
      String batchId,
      int sharedKeys) {
    this.recordRows = recordRows;
    this.rowSchema = rowSchema;
    this.target = target;
    this.deadLetters = deadLetters;
    this.batchId = batchId;
    this.sharedKeys = sharedKeys;
  }

  @Override
  public PCollection<WrittenFiles> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple keyed =
        records.apply(
            "Decode, transform and key by partition",
            ParDo.of(new KeyRecords(recordRows, target, rowSchema, deadLetters, sharedKeys))
                .withOutputTags(CHUNKS, TupleTagList.of(DEAD_LETTER_FILES)));
    PCollection<WrittenFiles> rowFiles =
        keyed
            .get(CHUNKS)
            .apply("Write " + target.name(), new WriteChunks(target, batchId, rowSchema));
    PCollection<WrittenFiles> deadLetterFiles =
        keyed.get(DEAD_LETTER_FILES).setCoder(SerializableCoder.of(WrittenFiles.class));
    return PCollectionList.of(deadLetterFiles)
        .and(rowFiles)
        .apply("Both tables' files", Flatten.pCollections());
  }

  private static final class KeyRecords
      extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, byte[]>> {
    private final RecordRows recordRows;
    private final TableTarget target;
    private final Schema rowSchema;
    private final BundleDeadLetters deadLetters;
    private final int sharedKeys;
    private transient PartitionChunks chunks;

    KeyRecords(
        RecordRows recordRows,
        TableTarget target,
        Schema rowSchema,
        BundleDeadLetters deadLetters,
        int sharedKeys) {
      this.recordRows = recordRows;
      this.target = target;
      this.rowSchema = rowSchema;
      this.deadLetters = deadLetters;
      this.sharedKeys = sharedKeys;
    }

    @Setup
    public void setup() {
      chunks = new PartitionChunks(target.table(), rowSchema, sharedKeys);
    }

    @StartBundle
    public void startBundle() {
      chunks.clear();
      deadLetters.startBundle();
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record,
        BoundedWindow window,
        MultiOutputReceiver out) {
      Row row = recordRows.apply(record, deadLetters);
      if (row != null) {
        for (KV<String, byte[]> chunk : chunks.add(row, window)) {
          out.get(CHUNKS).output(chunk);
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      chunks.flush((chunk, window) -> context.output(CHUNKS, chunk, window.maxTimestamp(), window));
      WrittenFiles files = deadLetters.finish();
      if (files != null) {
        context.output(
            DEAD_LETTER_FILES, files, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }
}
