package dev.floe.table;

import dev.floe.config.ConfigException;
import dev.floe.config.ConfigProblem;
import dev.floe.config.PipelineConfig;
import dev.floe.config.SinkConfig;
import dev.floe.config.SinkConfig.PartitionFieldConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A table as a pipeline declares it: its name, partition fields and the properties it gets when it
 * is created. Its columns come from the rows written to it.
 *
 * @param source the pipeline file, for messages
 * @param step the step whose rows the table holds, for messages
 */
public record TableDefinition(
    TableIdentifier id,
    List<PartitionFieldConfig> partitionFields,
    Map<String, String> properties,
    String source,
    String step) {

  /** The pipeline's target table: {@code <namespace>.<datasetName>}, as its sink declares it. */
  public static TableDefinition target(PipelineConfig config) {
    SinkConfig sink = config.sink();
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
    return new TableDefinition(
        TableIdentifier.of(config.output().namespace(), sink.datasetName()),
        sink.partitionSpec(),
        Map.copyOf(props),
        config.source(),
        sink.sequenceName());
  }

  /** The pipeline's dead-letter table, unpartitioned, next to the target. */
  public static TableDefinition deadLetters(PipelineConfig config) {
    TableIdentifier target =
        TableIdentifier.of(config.output().namespace(), config.sink().datasetName());
    return new TableDefinition(
        TableIdentifier.of(config.output().namespace(), config.sink().deadLetterTableName()),
        List.of(),
        Map.of(
            "floe.title", "dead letters of " + config.name(),
            "comment",
                "records of pipeline "
                    + config.name()
                    + " that could not become rows of "
                    + target),
        config.source(),
        null);
  }

  /**
   * The partition spec for rows of {@code schema}; a configuration error naming the partition
   * field's line when a column is missing or has a type its transform cannot take.
   */
  public PartitionSpec partitionSpec(Schema schema) {
    PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 0; i < partitionFields.size(); i++) {
      PartitionFieldConfig p = partitionFields.get(i);
      String path = "steps[0].sink[0].outputOptions.iceberg.partitionSpec[" + i + "]";
      Types.NestedField column = schema.findField(p.column());
      if (column == null) {
        problems.add(
            new ConfigProblem(
                source,
                p.line(),
                path + ".column",
                "no column '"
                    + p.column()
                    + "' in the output of step '"
                    + step
                    + "'; the columns are "
                    + columnNames(schema)));
        continue;
      }
      boolean temporal = p.type().matches("year|month|day|hour");
      if (temporal && !isTimestampOrDate(column.type(), p.type())) {
        problems.add(
            new ConfigProblem(
                source,
                p.line(),
                path + ".type",
                p.type()
                    + " needs a timestamp"
                    + (p.type().equals("hour") ? "" : " or date")
                    + " column, and '"
                    + p.column()
                    + "' is "
                    + column.type()
                    + "; cast it with set_type: {"
                    + p.column()
                    + ": timestamp}"));
        continue;
      }
      try {
        b = add(b, p);
      } catch (IllegalArgumentException e) {
        // Iceberg's own rules, e.g. two time transforms of one column
        problems.add(new ConfigProblem(source, p.line(), path, e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return b.build();
  }

  private static PartitionSpec.Builder add(PartitionSpec.Builder b, PartitionFieldConfig p) {
    String name = p.name();
    return switch (p.type()) {
      case "identity" -> name == null ? b.identity(p.column()) : b.identity(p.column(), name);
      case "year" -> name == null ? b.year(p.column()) : b.year(p.column(), name);
      case "month" -> name == null ? b.month(p.column()) : b.month(p.column(), name);
      case "day" -> name == null ? b.day(p.column()) : b.day(p.column(), name);
      case "hour" -> name == null ? b.hour(p.column()) : b.hour(p.column(), name);
      case "bucket" ->
          name == null ? b.bucket(p.column(), p.param()) : b.bucket(p.column(), p.param(), name);
      case "truncate" ->
          name == null
              ? b.truncate(p.column(), p.param())
              : b.truncate(p.column(), p.param(), name);
      default -> throw new IllegalStateException("validated by the loader: " + p.type());
    };
  }

  private static boolean isTimestampOrDate(Type type, String transform) {
    return type.typeId() == Type.TypeID.TIMESTAMP
        || (type.typeId() == Type.TypeID.DATE && !transform.equals("hour"));
  }

  private static List<String> columnNames(Schema schema) {
    return schema.columns().stream().map(Types.NestedField::name).toList();
  }
}
