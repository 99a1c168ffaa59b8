package dev.floe.cli;

import dev.floe.pipeline.BatchJob;
import dev.floe.spec.PipelineSpec;
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
    PipelineSpec spec = pipeline.load(List.of(), command.commandLine().getErr());
    BatchJob.describe(spec);
    System.out.printf("%s: pipeline %s is valid (%d warning%s)%n", spec.source(), spec.name(),
        spec.warnings().size(), spec.warnings().size() == 1 ? "" : "s");
    return 0;
  }
}
