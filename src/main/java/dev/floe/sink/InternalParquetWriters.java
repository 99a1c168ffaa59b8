package dev.floe.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.parquet.Parquet;

/**
 * Parquet data files of a table, from records in Iceberg's internal representation (timestamps as
 * epoch microseconds, dates as epoch days, binary as byte buffers: what {@link IcebergSchemas}'
 * converter makes), written by Iceberg's own {@link InternalWriter}. Floe only appends, so it
 * makes data files only.
 */
public final class InternalParquetWriters implements FileWriterFactory<Record> {
  private final Table table;
  private final Map<String, String> properties;

  /** @param properties Parquet settings on top of the table's own (see WriteDataFiles) */
  public InternalParquetWriters(Table table, Map<String, String> properties) {
    this.table = table;
    this.properties = properties;
  }

  /** Writers for {@code table} with Floe's Parquet settings where the table has none. */
  public static InternalParquetWriters forTable(Table table) {
    return new InternalParquetWriters(table, WriteDataFiles.writerProperties(table));
  }

  @Override
  public DataWriter<Record> newDataWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    try {
      return Parquet.writeData(file)
          .forTable(table)
          .setAll(properties)
          .createWriterFunc(InternalWriter::createWriter)
          .withSpec(spec)
          .withPartition(partition)
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public EqualityDeleteWriter<Record> newEqualityDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("Floe writes no equality deletes");
  }

  @Override
  public PositionDeleteWriter<Record> newPositionDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("Floe writes no position deletes");
  }
}
