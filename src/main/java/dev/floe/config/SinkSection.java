package dev.floe.config;

import dev.floe.config.SinkConfig.Distribution;
import dev.floe.config.SinkConfig.OverwriteMode;
import dev.floe.config.SinkConfig.PartitionFieldConfig;
import dev.floe.config.SinkConfig.SaveMode;
import dev.floe.config.SinkConfig.SchemaEvolution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a pipeline's sink: the table, its save mode, partition spec, properties and limits. */
final class SinkSection {
  private static final List<String> PARTITION_TYPES =
      List.of("identity", "year", "month", "day", "hour", "bucket", "truncate");
  private static final String OVERWRITE_MODE = "overwrite-mode";

  private SinkSection() {}

  static SinkConfig read(Cursor c) {
    Map<String, Cursor> f =
        c.fields(
            "sequenceName",
            "datasetName",
            "outputName",
            "outputType",
            "title",
            "description",
            "outputOptions",
            "tags");
    String sequence = Cursor.required(c, f, "sequenceName", "the step whose rows are written");
    String dataset = Cursor.identifier(c, f, "datasetName", "the table name, e.g. cloudevents");
    String outputName = Cursor.required(c, f, "outputName", "the output (catalog) to write to");
    String type = Cursor.optional(f, "outputType", "Iceberg");
    if (!"iceberg".equalsIgnoreCase(type)) {
      f.get("outputType").error("'" + type + "' is not an output type Floe writes; use Iceberg");
    }
    SaveMode saveMode = SaveMode.APPEND;
    OverwriteMode overwriteMode = OverwriteMode.DYNAMIC;
    Map<String, String> properties = new LinkedHashMap<>();
    List<PartitionFieldConfig> partitions = new ArrayList<>();
    Cursor modeAt = c;
    String deadLetterTable = null;
    Double maxDeadLetterRatio = null;
    Distribution distribution = null;
    MaintenanceConfig maintenance = null;
    SchemaEvolution evolution = SchemaEvolution.ADD_COLUMNS;
    if (f.containsKey("outputOptions")) {
      Map<String, Cursor> o =
          f.get("outputOptions")
              .fields(
                  "saveMode",
                  "iceberg",
                  "deadLetterTable",
                  "maxDeadLetterRatio",
                  "distribution",
                  "maintenance",
                  "schemaEvolution");
      if (o.containsKey("schemaEvolution")) {
        String e = o.get("schemaEvolution").text();
        evolution = SchemaEvolution.of(e);
        if (evolution == null) {
          evolution = SchemaEvolution.ADD_COLUMNS;
          o.get("schemaEvolution")
              .error(
                  "'"
                      + e
                      + "' is not a schema evolution mode; use add-columns (new fields become"
                      + " columns: the default) or fail (a batch whose rows do not fit the table"
                      + " fails)");
        }
      }
      if (o.containsKey("maintenance")) {
        maintenance = MaintenanceConfig.read(o.get("maintenance"));
      }
      if (o.containsKey("deadLetterTable")) {
        deadLetterTable = o.get("deadLetterTable").text();
        if (deadLetterTable != null && !deadLetterTable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          o.get("deadLetterTable")
              .error(
                  "'"
                      + deadLetterTable
                      + "' is not a table name; use"
                      + " letters, digits and underscores, e.g. "
                      + dataset
                      + "_dlq (the namespace is the"
                      + " output's)");
        }
      }
      if (o.containsKey("maxDeadLetterRatio")) {
        maxDeadLetterRatio = ratio(o.get("maxDeadLetterRatio"));
      }
      if (o.containsKey("distribution")) {
        String d = o.get("distribution").text();
        distribution = Distribution.of(d);
        if (distribution == null) {
          o.get("distribution").error("'" + d + "' is not a distribution; " + Distribution.CHOICES);
        }
      }
      if (o.containsKey("saveMode")) {
        modeAt = o.get("saveMode");
        String m = modeAt.text();
        try {
          saveMode = SaveMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
          modeAt.error("'" + m + "' is not a save mode; use one of append, overwrite, complete");
        }
      }
      if (o.containsKey("iceberg")) {
        Map<String, Cursor> i = o.get("iceberg").fields("properties", "partitionSpec");
        if (i.containsKey("properties")) {
          properties.putAll(i.get("properties").stringMap());
          String om = properties.remove(OVERWRITE_MODE);
          if (om != null) {
            try {
              overwriteMode = OverwriteMode.valueOf(om.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              i.get("properties")
                  .error("overwrite-mode '" + om + "' is not a mode; use dynamic or static");
            }
            if (saveMode != SaveMode.OVERWRITE) {
              i.get("properties").warn("overwrite-mode has no effect unless saveMode is overwrite");
            }
          }
        }
        if (i.containsKey("partitionSpec")) {
          i.get("partitionSpec").elements().forEach(p -> partitions.add(partitionField(p)));
        }
      }
    }
    if (saveMode == SaveMode.OVERWRITE && overwriteMode == OverwriteMode.DYNAMIC) {
      modeAt.warn(
          "overwrite with overwrite-mode dynamic: each batch replaces the partitions it has rows"
              + " in, so rows that earlier batches wrote to those partitions are dropped; use"
              + " saveMode: append to keep every event");
    } else if (saveMode == SaveMode.OVERWRITE || saveMode == SaveMode.COMPLETE) {
      modeAt.warn(
          "each batch replaces the whole table: after a run the table holds only that run's"
              + " batch; use saveMode: append to keep every event");
    }
    List<String> tags = new ArrayList<>();
    if (f.containsKey("tags")) {
      f.get("tags").elements().forEach(t -> tags.add(t.text()));
    }
    return new SinkConfig(
        sequence,
        dataset,
        outputName,
        Cursor.optional(f, "title", null),
        Cursor.optional(f, "description", null),
        saveMode,
        overwriteMode,
        Map.copyOf(properties),
        List.copyOf(partitions),
        List.copyOf(tags),
        deadLetterTable,
        maxDeadLetterRatio,
        distribution,
        maintenance,
        evolution,
        c.keyLine());
  }

  private static Double ratio(Cursor c) {
    String t = c.text();
    try {
      double r = Double.parseDouble(t);
      if (r > 0 && r <= 1) {
        return r;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // reported below
    }
    c.error(
        "expected a share of the records read, above 0 and at most 1, e.g. 0.05 for 5%;"
            + " got '"
            + t
            + "'");
    return null;
  }

  private static PartitionFieldConfig partitionField(Cursor c) {
    Map<String, Cursor> f = c.fields("type", "column", "name", "numBuckets", "width");
    String type = Cursor.required(c, f, "type", "one of " + String.join(", ", PARTITION_TYPES));
    String column = Cursor.required(c, f, "column", "the column to partition by");
    if (type != null && !PARTITION_TYPES.contains(type)) {
      String near = Cursor.nearest(type, PARTITION_TYPES);
      f.get("type")
          .error(
              "'"
                  + type
                  + "' is not a transform; "
                  + (near == null ? "" : "did you mean '" + near + "'? ")
                  + "use one of "
                  + String.join(", ", PARTITION_TYPES));
    }
    Integer param = null;
    if ("bucket".equals(type)) {
      param = intParam(c, f, "numBuckets", "bucket needs numBuckets, e.g. numBuckets: 16");
    } else if ("truncate".equals(type)) {
      param = intParam(c, f, "width", "truncate needs width, e.g. width: 10");
    }
    return new PartitionFieldConfig(
        type, column, Cursor.optional(f, "name", null), param, c.keyLine());
  }

  private static Integer intParam(Cursor c, Map<String, Cursor> f, String key, String fix) {
    if (!f.containsKey(key)) {
      c.error("missing required key '" + key + "': " + fix);
      return null;
    }
    Long v = f.get(key).positiveLong();
    return v == null ? null : v.intValue();
  }
}
