package dev.floe.table;

import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig.SchemaEvolution;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * A pipeline's two tables in its catalog: the target table and its dead-letter table. The catalog
 * is asked once, when this is made, so that one that cannot be reached fails the run before
 * anything is read.
 */
public final class PipelineTables {
  private final Map<String, String> catalogProperties;
  private final Catalog catalog;
  private final TableDefinition target;
  private final TableDefinition deadLetters;
  private final SchemaEvolution evolution;

  public PipelineTables(PipelineConfig config) {
    this.catalogProperties = config.output().catalogProperties();
    this.evolution = config.sink().schemaEvolution();
    this.target = TableDefinition.target(config);
    this.deadLetters = TableDefinition.deadLetters(config);
    this.catalog = Catalogs.loadReachable(catalogProperties, target.id());
  }

  public Map<String, String> catalogProperties() {
    return catalogProperties;
  }

  public Catalog catalog() {
    return catalog;
  }

  public TableDefinition target() {
    return target;
  }

  public TableDefinition deadLetters() {
    return deadLetters;
  }

  /** The table, or null before the first run created it. */
  public Table loadOrNull(TableDefinition table) {
    return catalog.tableExists(table.id()) ? catalog.loadTable(table.id()) : null;
  }

  /** The target table and the dead-letter table, those of them that exist. */
  public java.util.List<Table> existing() {
    java.util.List<Table> out = new java.util.ArrayList<>();
    for (TableDefinition t : java.util.List.of(target(), deadLetters())) {
      Table table = loadOrNull(t);
      if (table != null) {
        out.add(table);
      }
    }
    return out;
  }

  /** The table, created for rows of {@code schema} if it does not exist yet. */
  public Table loadOrCreate(TableDefinition table, Schema schema) {
    return TableSetup.loadOrCreate(catalog, table, schema, evolution);
  }
}
