package dev.floe.write;

import dev.floe.config.SinkConfig.Distribution;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Writes rows as data files of one table; commits nothing. With distribution {@code hash} the rows
 * are grouped by table partition first ({@link PartitionChunks}, {@link WriteChunks}), so each
 * partition gets one file per batch; with {@code none} each worker writes the rows it has.
 */
public final class WriteRows extends PTransform<PCollection<Row>, PCollection<WrittenFiles>> {
  private final TableTarget target;
  private final String batchId;
  private final Distribution distribution;
  private final int sharedKeys;
  private WriteDataFiles.Tallying tallying = WriteDataFiles.Tallying.NONE;

  /**
   * @param batchId part of every file's name
   * @param sharedKeys with {@code hash}: how many keys the partitions share on their way to the
   *     writers, for runners whose cost grows with the number of keys; 0 for a key per partition
   */
  public WriteRows(TableTarget target, String batchId, Distribution distribution, int sharedKeys) {
    this.target = target;
    this.batchId = batchId;
    this.distribution = distribution;
    this.sharedKeys = sharedKeys;
  }

  /** The rows are dead letters, counted by kind into the files' {@link WrittenFiles}. */
  public WriteRows tallyingDeadLetters() {
    this.tallying = WriteDataFiles.Tallying.DEAD_LETTERS;
    return this;
  }

  @Override
  public PCollection<WrittenFiles> expand(PCollection<Row> rows) {
    PCollection<WrittenFiles> written;
    if (distribution == Distribution.NONE) {
      written =
          rows.apply(
              "Write files",
              ParDo.of(new WriteDataFiles.Ungrouped(target, batchId, rows.getSchema(), tallying)));
    } else {
      written =
          rows.apply(
                  "Key by partition",
                  ParDo.of(new KeyByPartition(target.table(), rows.getSchema(), sharedKeys)))
              .setCoder(WriteChunks.CODER)
              .apply(new WriteChunks(target, batchId, rows.getSchema(), tallying));
    }
    return written.setCoder(SerializableCoder.of(WrittenFiles.class));
  }
}
