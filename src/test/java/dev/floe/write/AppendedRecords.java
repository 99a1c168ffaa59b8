package dev.floe.write;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** For tests of writers: commits the files they wrote and reads the table back with Iceberg. */
final class AppendedRecords {
  private AppendedRecords() {}

  /** Appends {@code files} to {@code table} in one snapshot, then every record the table holds. */
  static List<Record> appendAndRead(Table table, Collection<DataFile> files) throws IOException {
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
    List<Record> records = new ArrayList<>();
    try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
      read.forEach(records::add);
    }
    return records;
  }
}
