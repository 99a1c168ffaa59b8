package dev.floe.sink;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.Table;

/**
 * Keys each row by the table partition it belongs to, so a group-by-key hands every partition to
 * one writer: one data file per partition and batch (more only past the target file size),
 * instead of one per partition and bundle. Rows of an unpartitioned table are spread over a few
 * keys to keep writing parallel.
 */
final class KeyByPartition extends DoFn<Row, KV<String, Row>> {
  private static final int UNPARTITIONED_SHARDS = 8;

  private final Table table;
  private final Schema rowSchema;
  private transient TableRecords records;
  private transient int next;

  KeyByPartition(Table table, Schema rowSchema) {
    this.table = table;
    this.rowSchema = rowSchema;
  }

  @Setup
  public void setup() {
    records = new TableRecords(table, rowSchema);
  }

  @ProcessElement
  public void process(@Element Row row, OutputReceiver<KV<String, Row>> out) {
    if (table.spec().isUnpartitioned()) {
      next = (next + 1) % UNPARTITIONED_SHARDS;
      out.output(KV.of(String.valueOf(next), row));
      return;
    }
    out.output(KV.of(records.partitionOf(row).toPath(), row));
  }
}
