package dev.floe.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.config.ConfigException;
import dev.floe.config.OutputConfig;
import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig;
import dev.floe.config.SinkConfig.PartitionFieldConfig;
import dev.floe.config.SinkConfig.SchemaEvolution;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline's table as declared: its partition spec, its properties, an existing one's fit. */
class TableSetupTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.optional(1, "source", Types.StringType.get()),
          Types.NestedField.optional(2, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(3, "day", Types.DateType.get()),
          Types.NestedField.optional(4, "n", Types.LongType.get()),
          Types.NestedField.optional(5, "ts2", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(6, "ts3", Types.TimestampType.withZone()));

  /** The target table of a pipeline whose sink has these partition fields. */
  private static TableDefinition setup(PartitionFieldConfig... fields) {
    SinkConfig sink =
        new SinkConfig(
            "s",
            "t",
            "o",
            "title",
            "about",
            SinkConfig.SaveMode.APPEND,
            SinkConfig.OverwriteMode.DYNAMIC,
            Map.of("k", "v"),
            List.of(fields),
            List.of("a", "b"),
            null,
            null,
            null,
            null,
            SchemaEvolution.ADD_COLUMNS,
            9);
    return TableDefinition.target(
        new PipelineConfig(
            "x.yaml",
            1,
            "p",
            null,
            null,
            false,
            "INFO",
            null,
            null,
            new OutputConfig("o", Map.of(), "ns"),
            List.of(),
            sink,
            List.of()));
  }

  private static PartitionFieldConfig field(String type, String column, String name, Integer p) {
    return new PartitionFieldConfig(type, column, name, p, 12);
  }

  @Test
  void everyTransformWithAndWithoutNames() {
    PartitionSpec spec =
        setup(
                field("identity", "source", null, null),
                field("year", "ts", "y", null),
                field("month", "day", null, null),
                field("day", "ts2", "d", null),
                field("hour", "ts3", "hour", null),
                field("bucket", "n", null, 16),
                field("truncate", "source", "prefix", 3))
            .partitionSpec(SCHEMA);
    assertThat(spec.fields())
        .extracting(f -> f.name() + "=" + f.transform())
        .containsExactly(
            "source=identity",
            "y=year",
            "day_month=month",
            "d=day",
            "hour=hour",
            "n_bucket=bucket[16]",
            "prefix=truncate[3]");
  }

  @Test
  void aTimeTransformNeedsATimeColumn() {
    assertThatThrownBy(() -> setup(field("hour", "source", null, null)).partitionSpec(SCHEMA))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "x.yaml:12: steps[0].sink[0].outputOptions.iceberg.partitionSpec[0].type: hour"
                + " needs a timestamp column, and 'source' is string; cast it with set_type: {source:"
                + " timestamp}");
  }

  @Test
  void icebergsOwnRulesBecomeErrorsAtTheLine() {
    assertThatThrownBy(
            () ->
                setup(field("year", "ts", null, null), field("day", "ts", null, null))
                    .partitionSpec(SCHEMA))
        .hasMessage(
            "x.yaml:12: steps[0].sink[0].outputOptions.iceberg.partitionSpec[1]: Cannot"
                + " add redundant partition: 1000: ts_year: year(2) conflicts with 1001: ts_day: day(2)");
  }

  @Test
  void newTablesGetTitleDescriptionAndTags() {
    assertThat(setup().properties())
        .isEqualTo(Map.of("k", "v", "comment", "about", "floe.title", "title", "floe.tags", "a,b"));
  }

  @Test
  void anExistingTableMustTakeTheRows() {
    Schema rows =
        new Schema(
            Types.NestedField.optional(1, "source", Types.LongType.get()),
            Types.NestedField.optional(2, "extra", Types.StringType.get()));
    assertThatThrownBy(
            () ->
                TableSetup.checkCompatible(
                    org.apache.iceberg.catalog.TableIdentifier.of("ns", "t"),
                    SCHEMA,
                    rows,
                    SchemaEvolution.ADD_COLUMNS))
        .hasMessage(
            "table ns.t exists with a schema the pipeline's rows cannot be written to:"
                + " source: the table has string, the rows long; extra string (not in the table)."
                + " Write to a new table (datasetName), or change the table to match.");
  }

  @Test
  void anExistingTableTakesThePropertiesThePipelineDeclaresAndKeepsItsOthers(@TempDir Path dir) {
    HadoopCatalog catalog = new HadoopCatalog(new Configuration(), dir.toUri().toString());
    Table table =
        catalog.createTable(
            org.apache.iceberg.catalog.TableIdentifier.of("ns", "t"),
            SCHEMA,
            PartitionSpec.unpartitioned(),
            Map.of("write.metadata.previous-versions-max", "10", "owner", "data-team"));
    TableSetup.applyDeclaredProperties(
        table,
        Map.of(
            "write.metadata.previous-versions-max", "5",
            "write.metadata.delete-after-commit.enabled", "true"));
    assertThat(table.properties())
        .containsEntry("write.metadata.previous-versions-max", "5")
        .containsEntry("write.metadata.delete-after-commit.enabled", "true")
        .containsEntry("owner", "data-team");
    String location = ((HasTableOperations) table).operations().current().metadataFileLocation();
    TableSetup.applyDeclaredProperties(table, Map.of("write.metadata.previous-versions-max", "5"));
    assertThat(((HasTableOperations) table).operations().current().metadataFileLocation())
        .as("nothing to change, nothing committed")
        .isEqualTo(location);
  }
}
