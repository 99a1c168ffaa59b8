package dev.floe.cli;

import dev.floe.config.ConfigProblem;
import dev.floe.config.PipelineConfig;
import dev.floe.config.PipelineLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
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

  PipelineConfig load(List<String> extra, PrintWriter err) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(extra);
    PipelineConfig config = PipelineLoader.withSystemEnv().load(file, all);
    for (ConfigProblem w : config.warnings()) {
      err.println("warning: " + w);
    }
    applyLogLevel(debug() ? "DEBUG" : config.logLevel());
    return config;
  }

  /** Whether {@code FLOE_DEBUG} is set: Floe's logs at DEBUG, and stack traces with errors. */
  static boolean debug() {
    String v = System.getenv("FLOE_DEBUG");
    return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  /**
   * The pipeline's logLevel is the level of Floe's own loggers; DEBUG and TRACE also open the
   * libraries' logs (Beam, Kafka, Iceberg), which otherwise show warnings only.
   */
  static void applyLogLevel(String level) {
    Level l = Level.toLevel(level, Level.INFO);
    DeclinedWhileClosing.install();
    Configurator.setLevel("dev.floe", l);
    if (l.isLessSpecificThan(Level.DEBUG)) {
      Configurator.setRootLevel(l);
      // quieted by name in log4j2.xml, so the root level alone would not open them
      Configurator.setLevel("org.apache.kafka", l);
      Configurator.setLevel("org.apache.hadoop", l);
    }
  }
}
