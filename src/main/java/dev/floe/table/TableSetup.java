package dev.floe.table;

import dev.floe.config.SinkConfig.SchemaEvolution;
import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
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

  /**
   * Loads the table, or creates it (and its namespace); with {@code ADD_COLUMNS} an existing table
   * first gains the columns of {@code schema} it lacks and widens the ones {@code schema} widens.
   */
  public static Table loadOrCreate(
      Catalog catalog, TableDefinition table, Schema schema, SchemaEvolution evolution) {
    TableIdentifier id = table.id();
    if (catalog.tableExists(id)) {
      Table existing = catalog.loadTable(id);
      if (evolution == SchemaEvolution.ADD_COLUMNS) {
        evolve(existing, schema);
      }
      checkCompatible(id, existing.schema(), schema, evolution);
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

  /**
   * Adds the columns (nested fields too) the rows have and the table lacks, and widens int/float
   * columns the rows hold as long/double: Iceberg's union by name. A schema change is metadata
   * only: no snapshot, and readers of older snapshots keep the schema those were written with.
   * Types that cannot be promoted are left for {@link #checkCompatible} to name.
   */
  static void evolve(Table table, Schema rows) {
    UpdateSchema update;
    Schema evolved;
    try {
      update = table.updateSchema().unionByNameWith(rows);
      evolved = update.apply();
    } catch (IllegalArgumentException e) {
      LOG.debug("{}: the rows' schema cannot be merged: {}", table.name(), e.getMessage());
      return;
    }
    if (evolved.sameSchema(table.schema())) {
      return;
    }
    Schema before = table.schema();
    try {
      update.commit();
    } catch (RuntimeException e) {
      // a concurrent run may have made the same change first; look again
      table.refresh();
      if (!table.updateSchema().unionByNameWith(rows).apply().sameSchema(table.schema())) {
        throw e;
      }
    }
    table.refresh();
    List<String> changes = new ArrayList<>();
    for (Types.NestedField f : table.schema().columns()) {
      Types.NestedField old = before.findField(f.fieldId());
      if (old == null) {
        changes.add("added " + f.name() + " " + f.type());
      } else if (!sameType(old.type(), f.type())) {
        changes.add("widened " + f.name() + " from " + old.type() + " to " + f.type());
      } else if (f.type().isStructType() && !old.type().equals(f.type())) {
        changes.add("added fields to " + f.name());
      }
    }
    LOG.info(
        "{}: schema {}: {}", table.name(), table.schema().schemaId(), String.join(", ", changes));
  }

  /** Fails, listing the columns that differ, when rows of {@code rows} cannot go in the table. */
  static void checkCompatible(
      TableIdentifier id, Schema table, Schema rows, SchemaEvolution evolution) {
    List<String> differences = new ArrayList<>();
    for (Types.NestedField f : rows.columns()) {
      Types.NestedField existing = table.findField(f.name());
      if (existing == null) {
        differences.add(f.name() + " " + f.type() + " (not in the table)");
      } else if (!sameType(existing.type(), f.type())) {
        differences.add(f.name() + ": the table has " + existing.type() + ", the rows " + f.type());
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "table "
              + id
              + " exists with a schema the pipeline's rows cannot be written to: "
              + String.join("; ", differences)
              + (evolution == SchemaEvolution.FAIL
                  ? ". outputOptions.schemaEvolution is fail: set it to add-columns to add new"
                      + " columns and widen int/float columns, write to a new table"
                      + " (datasetName), or change the table to match."
                  : ". Write to a new table (datasetName), or change the table to match."));
    }
  }

  /**
   * Whether two types are the same, field ids aside (a table's ids are its own); a struct of the
   * table may have fields the rows lack (they are written as null).
   */
  static boolean sameType(Type table, Type rows) {
    if (table.isPrimitiveType() || rows.isPrimitiveType()) {
      return table.equals(rows);
    }
    if (table.typeId() != rows.typeId()) {
      return false;
    }
    if (table.isStructType()) {
      for (Types.NestedField f : rows.asStructType().fields()) {
        Types.NestedField t = table.asStructType().field(f.name());
        if (t == null || !sameType(t.type(), f.type())) {
          return false;
        }
      }
      return true;
    }
    if (table.isListType()) {
      return sameType(table.asListType().elementType(), rows.asListType().elementType());
    }
    return sameType(table.asMapType().keyType(), rows.asMapType().keyType())
        && sameType(table.asMapType().valueType(), rows.asMapType().valueType());
  }
}
