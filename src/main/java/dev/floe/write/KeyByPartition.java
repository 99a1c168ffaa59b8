package dev.floe.write;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Table;

/** Rows to chunks keyed by table partition ({@link PartitionChunks}), bundle by bundle. */
final class KeyByPartition extends DoFn<Row, KV<String, byte[]>> {
  private final Table table;
  private final Schema rowSchema;
  private final int groups;
  private transient PartitionChunks chunks;

  /**
   * @param groups how many keys the partitions share; 0 for a key per partition (its path)
   */
  KeyByPartition(Table table, Schema rowSchema, int groups) {
    this.table = table;
    this.rowSchema = rowSchema;
    this.groups = groups;
  }

  @Setup
  public void setup() {
    chunks = new PartitionChunks(table, rowSchema, groups);
  }

  @StartBundle
  public void startBundle() {
    chunks.clear();
  }

  @ProcessElement
  public void process(
      @Element Row row, BoundedWindow window, OutputReceiver<KV<String, byte[]>> out) {
    for (KV<String, byte[]> chunk : chunks.add(row, window)) {
      out.output(chunk);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    chunks.flush((chunk, window) -> context.output(chunk, window.maxTimestamp(), window));
  }
}
