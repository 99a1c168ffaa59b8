package dev.floe.config;

import java.util.List;
import java.util.Map;

/**
 * Where a step's rows land: an Iceberg table {@code <output namespace>.<datasetName>}.
 *
 * @param tableProperties Iceberg table properties set when the table is created
 * @param deadLetterTable the dead-letter table's name in the output namespace; null: {@code
 *     <datasetName>_dlq}
 * @param maxDeadLetterRatio a batch with more dead letters than this share of the records it read
 *     fails without committing; null: no limit
 * @param distribution how rows reach the writers: straight from the step (none) or grouped by table
 *     partition first (hash); null: the runner profile's default
 * @param maintenance maintenance the run does itself; null: none (run {@code floe maintain})
 * @param schemaEvolution what a batch does when its rows have columns (or wider types) the table
 *     lacks
 * @param line the line of the sink entry in the pipeline file
 */
public record SinkConfig(
    String sequenceName,
    String datasetName,
    String outputName,
    String title,
    String description,
    SaveMode saveMode,
    OverwriteMode overwriteMode,
    Map<String, String> tableProperties,
    List<PartitionFieldConfig> partitionSpec,
    List<String> tags,
    String deadLetterTable,
    Double maxDeadLetterRatio,
    Distribution distribution,
    MaintenanceConfig maintenance,
    SchemaEvolution schemaEvolution,
    int line)
    implements java.io.Serializable {

  /** The dead-letter table's name: {@code deadLetterTable}, or {@code <datasetName>_dlq}. */
  public String deadLetterTableName() {
    return deadLetterTable != null ? deadLetterTable : datasetName + "_dlq";
  }

  /** How a batch's rows relate to what the table already holds. */
  public enum SaveMode {
    /** Add the batch's rows. */
    APPEND,
    /** Replace data with the batch's rows; which data depends on the {@link OverwriteMode}. */
    OVERWRITE,
    /** Replace the whole table with the batch's rows. */
    COMPLETE
  }

  /** How rows reach the writers, as Iceberg's {@code write.distribution-mode}. */
  public enum Distribution {
    /**
     * Each worker writes the rows it transformed: no shuffle, one open file per table partition and
     * worker, so up to (workers x partitions) files.
     */
    NONE,
    /**
     * Rows are grouped by table partition before writing (a shuffle): one file per partition and
     * batch, more only past {@code write.target-file-size-bytes}.
     */
    HASH;

    /** The choices, for messages about a value that is not one of them. */
    public static final String CHOICES =
        "use none (each worker writes its own rows, no shuffle)"
            + " or hash (group rows by table partition first: fewer, larger files)";

    /** {@code text} (any case) as a distribution; null when it is none of them. */
    public static Distribution of(String text) {
      for (Distribution d : values()) {
        if (d.name().equalsIgnoreCase(text)) {
          return d;
        }
      }
      return null;
    }
  }

  /** What a batch does when its rows do not fit the table's schema. */
  public enum SchemaEvolution {
    /**
     * New columns are added and int/float columns widened to long/double before the batch commits;
     * records whose fields cannot be promoted are dead letters ({@code SCHEMA_MISMATCH}).
     */
    ADD_COLUMNS,
    /** Any difference fails the batch; nothing is committed. */
    FAIL;

    /** {@code text} ({@code add-columns}, {@code fail}) as a mode; null when it is neither. */
    public static SchemaEvolution of(String text) {
      for (SchemaEvolution e : values()) {
        if (e.name().replace('_', '-').equalsIgnoreCase(text)) {
          return e;
        }
      }
      return null;
    }
  }

  /** What an overwrite replaces. */
  public enum OverwriteMode {
    /** The partitions the batch has rows in. */
    DYNAMIC,
    /** The whole table. */
    STATIC
  }

  /** One partition field: a transform of a column, optionally named. */
  public record PartitionFieldConfig(
      String type, String column, String name, Integer param, int line)
      implements java.io.Serializable {}
}
