package dev.floe.write;

import java.io.Serializable;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;

/**
 * A table that data files are written for, as workers get it: its name ({@code namespace.table},
 * what the committer loads) and a serializable copy of the table (location, schema, spec,
 * properties, file IO).
 */
public record TableTarget(String name, Table table) implements Serializable {
  public TableTarget {
    table = SerializableTable.copyOf(table);
  }
}
