package dev.floe.cli;

import dev.floe.config.PipelineConfig;
import dev.floe.errors.ConcurrentRunException;
import dev.floe.maintain.Compaction;
import dev.floe.maintain.TableMaintenance;
import dev.floe.table.PipelineTables;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
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
  long olderThanMinutes = 60;

  @Option(
      names = "--min-input-files",
      paramLabel = "N",
      description =
          "Compact a partition once it has this many small files (default ${DEFAULT-VALUE}).")
  int minInputFiles = 2;

  @Option(names = "--no-compaction", description = "Skip compaction.")
  boolean noCompaction;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PipelineConfig config = pipeline.load(List.of(), command.commandLine().getErr());
    PipelineTables tables = new PipelineTables(config);
    TableMaintenance.Settings settings =
        new TableMaintenance.Settings(
            noCompaction
                ? null
                : Map.of(
                    SizeBasedFileRewritePlanner.MIN_INPUT_FILES, String.valueOf(minInputFiles)),
            Duration.ofMinutes(olderThanMinutes));
    PrintWriter out = command.commandLine().getOut();
    for (Table table :
        new Table[] {tables.loadOrNull(tables.target()), tables.loadOrNull(tables.deadLetters())}) {
      if (table == null) {
        continue;
      }
      try {
        print(out, TableMaintenance.run(table, settings));
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

  private static void print(PrintWriter out, TableMaintenance.Report r) {
    Compaction.Result c = r.compaction();
    out.printf(
        "%s: %,d data files (%,d bytes) compacted into %,d in %,d partitions; %,d snapshots"
            + " expired (%,d files deleted), %,d left; %,d old metadata files and %,d orphan"
            + " files (%,d bytes) deleted; %.1f s%n",
        r.table(),
        c.filesRewritten(),
        c.bytesRewritten(),
        c.filesAdded(),
        c.groups(),
        r.snapshotsExpired(),
        r.filesDeletedByExpiry(),
        r.snapshotsLeft(),
        r.metadataFilesDeleted(),
        r.orphanFilesDeleted(),
        r.orphanBytesDeleted(),
        r.millis() / 1000.0);
    out.flush();
  }
}
