package dev.floe.write;

import dev.floe.types.IcebergSchemas;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Rows as records of one table, in Iceberg's internal representation, and the table partition a
 * record belongs to. Built from the partition data of the record itself (never by parsing a
 * partition path, which is URL-encoded). Not thread-safe: the partition key is reused.
 */
public final class TableRecords {
  private final IcebergSchemas.RowConverter converter;
  private final IcebergSchemas.RowConverter partitionColumns;
  private final PartitionKey key;
  // asked once: PartitionSpec.isPartitioned streams over the spec's fields on every call, and the
  // writers ask per row
  private final boolean partitioned;

  public TableRecords(Table table, Schema rowSchema) {
    this.converter = new IcebergSchemas.RowConverter(rowSchema, table.schema().asStruct());
    // keying a row needs only the columns the partition spec reads
    Set<String> sources = new HashSet<>();
    table.spec().fields().forEach(f -> sources.add(table.schema().findColumnName(f.sourceId())));
    this.partitionColumns =
        new IcebergSchemas.RowConverter(rowSchema, table.schema().asStruct(), sources);
    this.key = new PartitionKey(table.spec(), table.schema());
    this.partitioned = table.spec().isPartitioned();
  }

  /** Whether the table is partitioned. */
  public boolean partitioned() {
    return partitioned;
  }

  public Record record(Row row) {
    return converter.convert(row);
  }

  /** The row's partition, converting only the partition's source columns; reused like below. */
  PartitionKey partitionOf(Row row) {
    return partitionOf(partitionColumns.convert(row));
  }

  /** The record's partition; the same object on every call, so copy it to keep it. */
  public PartitionKey partitionOf(Record record) {
    key.partition(record);
    return key;
  }
}
