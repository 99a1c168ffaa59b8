package dev.floe.cli;

import dev.floe.config.PipelineConfig;
import dev.floe.table.OrphanFiles;
import dev.floe.table.PipelineTables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code floe clean}: removes the files of failed batches from a pipeline's tables. */
@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the files under the target table's and the dead-letter table's data/ that no"
          + " snapshot references: what batches that crashed or lost a race to another run left"
          + " behind. Readers never see them; they only take space.",
      "Only files older than --older-than are deleted, so a batch still running keeps its files."
    })
final class CleanCommand implements Callable<Integer> {
  @Mixin PipelineArgs pipeline;

  @Option(
      names = "--older-than",
      paramLabel = "MINUTES",
      description = "Leave files younger than this many minutes (default ${DEFAULT-VALUE}).")
  long olderThanMinutes = 60;

  @Option(names = "--dry-run", description = "List the files, delete nothing.")
  boolean dryRun;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PipelineConfig config = pipeline.load(List.of(), command.commandLine().getErr());
    PipelineTables tables = new PipelineTables(config);
    for (Table table : tables.existing()) {
      List<FileInfo> orphans = OrphanFiles.find(table, Duration.ofMinutes(olderThanMinutes));
      orphans.forEach(
          f -> System.out.println((dryRun ? "would delete " : "delete ") + f.location()));
      long bytes =
          dryRun
              ? orphans.stream().mapToLong(FileInfo::size).sum()
              : OrphanFiles.delete(table, orphans);
      System.out.printf(
          "%s: %d orphan file%s, %,d bytes%s%n",
          table.name(),
          orphans.size(),
          orphans.size() == 1 ? "" : "s",
          bytes,
          dryRun ? " (dry run)" : " deleted");
    }
    return 0;
  }
}
