package dev.floe.table;

import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a pipeline's table, or creates it (and its namespace) from its {@link TableDefinition} and
 * the schema of the rows written to it. An existing table must be able to take those rows.
 */
public final class TableSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TableSetup.class);

  private TableSetup() {}

  /** Loads the table, or creates it (and its namespace). */
  public static Table loadOrCreate(Catalog catalog, TableDefinition table, Schema schema) {
    TableIdentifier id = table.id();
    if (catalog.tableExists(id)) {
      Table existing = catalog.loadTable(id);
      checkCompatible(id, existing.schema(), schema);
      applyDeclaredProperties(existing, table.properties());
      return existing;
    }
    try {
      Namespace ns = id.namespace();
      if (catalog instanceof SupportsNamespaces n && !n.namespaceExists(ns)) {
        try {
          n.createNamespace(ns);
          LOG.info("created namespace {}", ns);
        } catch (RuntimeException e) {
          // A concurrent run created it first. Not every catalog says so with
          // AlreadyExistsException (a REST server over SQLite answers 500), so look again.
          if (!n.namespaceExists(ns)) {
            throw e;
          }
          LOG.info("namespace {} was created by another run at the same time", ns);
        }
      }
      try {
        Table created =
            catalog.createTable(id, schema, table.partitionSpec(schema), table.properties());
        LOG.info(
            "created table {} at {}, partitioned by {}",
            id,
            created.location(),
            created.spec().fields());
        return created;
      } catch (RuntimeException e) {
        if (!(e instanceof AlreadyExistsException) && !catalog.tableExists(id)) {
          throw e;
        }
        LOG.info("table {} was created by another run at the same time", id);
        return catalog.loadTable(id);
      }
    } catch (RuntimeException e) {
      throw new RunFailure(
          "cannot create table "
              + id
              + ": "
              + Causes.innermostMessage(e)
              + ". Check that the warehouse (outputs[].catalog.warehouse) exists and this user may"
              + " write to it; nothing was read or committed",
          e);
    }
  }

  /**
   * Sets the properties the pipeline declares that an existing table lacks or holds with another
   * value, so that a property added to the file later (the metadata files kept, the commit retries)
   * takes effect on the next run; properties the file does not name are left alone.
   */
  static void applyDeclaredProperties(Table table, Map<String, String> declared) {
    Map<String, String> changed = new TreeMap<>();
    declared.forEach(
        (key, value) -> {
          if (!value.equals(table.properties().get(key))) {
            changed.put(key, value);
          }
        });
    if (changed.isEmpty()) {
      return;
    }
    UpdateProperties update = table.updateProperties();
    changed.forEach(update::set);
    update.commit();
    LOG.info("{}: set the properties the pipeline declares: {}", table.name(), changed.keySet());
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
          "table "
              + id
              + " exists with a schema the pipeline's rows cannot be written to: "
              + String.join("; ", differences)
              + ". Write to a new table (datasetName), or change the table to match.");
    }
  }
}
