package dev.floe.cli;

import dev.floe.config.PipelineConfig;
import dev.floe.pipeline.BatchJob;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code floe explain}: what a run would read, run and write, without running it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Prints the plan of the next run: the input, the offsets to read per partition,"
            + " each step with its output schema, the target table's schema, partition spec and"
            + " properties, and the save mode. Asks the broker and the catalog; changes nothing.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin PipelineArgs pipeline;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PipelineConfig config = pipeline.load(List.of(), command.commandLine().getErr());
    Explain.print(new BatchJob(config), System.out);
    return 0;
  }
}
