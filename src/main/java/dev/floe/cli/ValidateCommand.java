package dev.floe.cli;

import dev.floe.config.PipelineConfig;
import dev.floe.pipeline.BatchJob;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code floe validate}: checks a pipeline file without a broker or a catalog. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a pipeline file: keys, values, the SQL of each step, the functions and the partition"
          + " spec against the steps' output. Needs no broker and no catalog.",
      "Exit 1 with each error as FILE:LINE: KEY: what is wrong and the fix."
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin PipelineArgs pipeline;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PipelineConfig config = pipeline.load(List.of(), command.commandLine().getErr());
    BatchJob.describe(config);
    System.out.printf(
        "%s: pipeline %s is valid (%d warning%s)%n",
        config.source(),
        config.name(),
        config.warnings().size(),
        config.warnings().size() == 1 ? "" : "s");
    return 0;
  }
}
