package dev.floe.write;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes chunks of rows keyed by table partition ({@link PartitionChunks}) as data files of one
 * table: grouped by key, so that each partition reaches one writer, then written; commits nothing.
 */
public final class WriteChunks
    extends PTransform<PCollection<KV<String, byte[]>>, PCollection<WrittenFiles>> {
  /** The coder of the chunks (set by whoever makes them, before they are used). */
  public static final KvCoder<String, byte[]> CODER =
      KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());

  private final TableTarget target;
  private final String batchId;
  private final Schema rowSchema;
  private final WriteDataFiles.Tallying tallying;

  /**
   * @param batchId part of every file's name
   * @param rowSchema the schema of the rows in the chunks
   */
  public WriteChunks(TableTarget target, String batchId, Schema rowSchema) {
    this(target, batchId, rowSchema, WriteDataFiles.Tallying.NONE);
  }

  WriteChunks(
      TableTarget target, String batchId, Schema rowSchema, WriteDataFiles.Tallying tallying) {
    this.target = target;
    this.batchId = batchId;
    this.rowSchema = rowSchema;
    this.tallying = tallying;
  }

  @Override
  public PCollection<WrittenFiles> expand(PCollection<KV<String, byte[]>> chunks) {
    return chunks
        .apply("Group by partition", GroupByKey.create())
        .apply(
            "Write files",
            ParDo.of(new WriteDataFiles.Grouped(target, batchId, rowSchema, tallying)))
        .setCoder(SerializableCoder.of(WrittenFiles.class));
  }
}
