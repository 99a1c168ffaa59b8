package dev.floe.cli;

import dev.floe.config.MaintenanceConfig;
import dev.floe.config.PipelineConfig;
import dev.floe.errors.ConcurrentRunException;
import dev.floe.maintain.TableMaintenance;
import dev.floe.table.PipelineTables;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code floe maintain}: keeps a pipeline's tables healthy. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Maintains the pipeline's table and dead-letter table: compacts small data files per"
          + " partition into files near write.target-file-size-bytes, expires the snapshots that"
          + " history.expire.max-snapshot-age-ms and history.expire.min-snapshots-to-keep no"
          + " longer keep, deletes metadata files beyond write.metadata.previous-versions-max and"
          + " orphan data files (what `clean` deletes).",
      "Safe while the pipeline runs: every step is validated against the commits made meanwhile."
    })
final class MaintainCommand implements Callable<Integer> {
  @Mixin PipelineArgs pipeline;

  @Option(
      names = "--older-than",
      paramLabel = "MINUTES",
      description =
          "Never delete files younger than this many minutes: a running batch may still need"
              + " them (default ${DEFAULT-VALUE}).")
  long olderThanMinutes = MaintenanceConfig.DEFAULT_OLDER_THAN_MINUTES;

  @Option(
      names = "--min-input-files",
      paramLabel = "N",
      description =
          "Compact a partition once it has this many small files (default ${DEFAULT-VALUE}).")
  long minInputFiles = MaintenanceConfig.DEFAULT_MIN_INPUT_FILES;

  @Option(names = "--no-compaction", description = "Skip compaction.")
  boolean noCompaction;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PipelineConfig config = pipeline.load(List.of(), command.commandLine().getErr());
    PipelineTables tables = new PipelineTables(config);
    Duration margin = Duration.ofMinutes(olderThanMinutes);
    TableMaintenance.Settings settings =
        noCompaction
            ? new TableMaintenance.Settings(null, margin)
            : TableMaintenance.Settings.of(minInputFiles, margin);
    PrintWriter out = command.commandLine().getOut();
    for (Table table : tables.existing()) {
      try {
        out.println(TableMaintenance.run(table, settings).describe());
        out.flush();
      } catch (ValidationException e) {
        throw new ConcurrentRunException(
            table.name()
                + " changed under maintenance in a way it cannot merge with ("
                + e.getMessage()
                + "); the step that failed committed nothing. Run maintain again.");
      }
    }
    return 0;
  }
}
