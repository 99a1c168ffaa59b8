package dev.floe.cli;

import dev.floe.spec.PipelineSpec;
import dev.floe.spec.SpecLoader;
import dev.floe.spec.SpecProblem;
import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pipeline file and its {@code --set} overrides, shared by run, validate and explain. */
final class PipelineArgs {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a value of the pipeline file, e.g. --set outputs[0].namespace=dev.")
  List<String> overrides = new ArrayList<>();

  PipelineSpec load(List<String> extra, PrintWriter err) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(extra);
    PipelineSpec spec = SpecLoader.withSystemEnv().load(file, all);
    for (SpecProblem w : spec.warnings()) {
      err.println("warning: " + w);
    }
    applyLogLevel(spec.logLevel());
    return spec;
  }

  /**
   * The pipeline's logLevel is the level of Floe's own loggers; DEBUG and TRACE also open the
   * libraries' logs (Beam, Kafka, Iceberg), which otherwise show warnings only.
   */
  static void applyLogLevel(String level) {
    Level l = Level.toLevel(level, Level.INFO);
    Configurator.setLevel("dev.floe", l);
    if (l.isLessSpecificThan(Level.DEBUG)) {
      Configurator.setRootLevel(l);
    }
  }
}
