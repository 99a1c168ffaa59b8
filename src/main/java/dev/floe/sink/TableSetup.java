package dev.floe.sink;

import dev.floe.spec.SinkSpec;
import dev.floe.spec.SinkSpec.PartitionFieldSpec;
import dev.floe.spec.SpecException;
import dev.floe.spec.SpecProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The target table as a pipeline declares it: schema from the last step's output, the partition
 * spec and the table properties from the sink. Creates the namespace and table when missing; an
 * existing table must be able to take the pipeline's rows.
 */
public final class TableSetup {
  private final String file;
  private final SinkSpec sink;

  public TableSetup(String file, SinkSpec sink) {
    this.file = file;
    this.sink = sink;
  }

  public PartitionSpec partitionSpec(Schema schema) {
    PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
    List<SpecProblem> problems = new ArrayList<>();
    for (int i = 0; i < sink.partitionSpec().size(); i++) {
      PartitionFieldSpec p = sink.partitionSpec().get(i);
      String path = "steps[0].sink[0].outputOptions.iceberg.partitionSpec[" + i + "]";
      Types.NestedField column = schema.findField(p.column());
      if (column == null) {
        problems.add(new SpecProblem(file, p.line(), path + ".column",
            "no column '" + p.column() + "' in the output of step '" + sink.sequenceName()
                + "'; the columns are " + columnNames(schema)));
        continue;
      }
      boolean temporal = p.type().matches("year|month|day|hour");
      if (temporal && !isTimestampOrDate(column.type(), p.type())) {
        problems.add(new SpecProblem(file, p.line(), path + ".type",
            p.type() + " needs a timestamp" + (p.type().equals("hour") ? "" : " or date")
                + " column, and '" + p.column() + "' is " + column.type()
                + "; cast it with set_type: {" + p.column() + ": timestamp}"));
        continue;
      }
      try {
        b = add(b, p);
      } catch (IllegalArgumentException e) {
        // Iceberg's own rules, e.g. two time transforms of one column
        problems.add(new SpecProblem(file, p.line(), path, e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return b.build();
  }

  private static PartitionSpec.Builder add(PartitionSpec.Builder b, PartitionFieldSpec p) {
    String name = p.name();
    return switch (p.type()) {
      case "identity" -> name == null ? b.identity(p.column()) : b.identity(p.column(), name);
      case "year" -> name == null ? b.year(p.column()) : b.year(p.column(), name);
      case "month" -> name == null ? b.month(p.column()) : b.month(p.column(), name);
      case "day" -> name == null ? b.day(p.column()) : b.day(p.column(), name);
      case "hour" -> name == null ? b.hour(p.column()) : b.hour(p.column(), name);
      case "bucket" -> name == null
          ? b.bucket(p.column(), p.param()) : b.bucket(p.column(), p.param(), name);
      case "truncate" -> name == null
          ? b.truncate(p.column(), p.param()) : b.truncate(p.column(), p.param(), name);
      default -> throw new IllegalStateException("validated by the loader: " + p.type());
    };
  }

  private static boolean isTimestampOrDate(Type type, String transform) {
    return type.typeId() == Type.TypeID.TIMESTAMP
        || (type.typeId() == Type.TypeID.DATE && !transform.equals("hour"));
  }

  /** The properties a new table gets: the sink's, plus its title, description and tags. */
  public Map<String, String> properties() {
    Map<String, String> props = new LinkedHashMap<>(sink.tableProperties());
    if (sink.description() != null) {
      props.put("comment", sink.description());
    }
    if (sink.title() != null) {
      props.put("floe.title", sink.title());
    }
    if (!sink.tags().isEmpty()) {
      props.put("floe.tags", String.join(",", sink.tags()));
    }
    return props;
  }

  /** Loads the table, or creates it (and its namespace). */
  public Table loadOrCreate(Catalog catalog, TableIdentifier id, Schema schema) {
    if (catalog.tableExists(id)) {
      Table table = catalog.loadTable(id);
      checkCompatible(id, table.schema(), schema);
      return table;
    }
    try {
      Namespace ns = id.namespace();
      if (catalog instanceof SupportsNamespaces n && !n.namespaceExists(ns)) {
        try {
          n.createNamespace(ns);
        } catch (AlreadyExistsException e) {
          // created by a concurrent run
        }
      }
      try {
        return catalog.createTable(id, schema, partitionSpec(schema), properties());
      } catch (AlreadyExistsException e) {
        return catalog.loadTable(id);
      }
    } catch (RuntimeException e) {
      throw new RunFailure("cannot create table " + id + ": " + rootMessage(e)
          + ". Check that the warehouse (outputs[].catalog.warehouse) exists and this user may"
          + " write to it; nothing was read or committed", e);
    }
  }

  /** Fails, listing the columns that differ, when rows of {@code rows} cannot go in the table. */
  static void checkCompatible(TableIdentifier id, Schema table, Schema rows) {
    List<String> differences = new ArrayList<>();
    for (Types.NestedField f : rows.columns()) {
      Types.NestedField existing = table.findField(f.name());
      if (existing == null) {
        differences.add(f.name() + " " + f.type() + " (not in the table)");
      } else if (!existing.type().toString().equals(f.type().toString())) {
        differences.add(f.name() + ": the table has " + existing.type() + ", the rows " + f.type());
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "table " + id + " exists with a schema the pipeline's rows cannot be written to: "
              + String.join("; ", differences)
              + ". Write to a new table (datasetName), or change the table to match.");
    }
  }

  private static List<String> columnNames(Schema schema) {
    return schema.columns().stream().map(Types.NestedField::name).toList();
  }

  private static String rootMessage(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }
}
