package dev.floe.cli;

import dev.floe.config.PipelineConfig;
import dev.floe.config.StreamingConfig.Trigger;
import dev.floe.pipeline.BatchJob;
import dev.floe.pipeline.Runs;
import dev.floe.runner.RunnerProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code floe run}: reads what is new in the topic and commits it to the table. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the records after the offsets committed in the table (or from startingOffsets on the"
          + " first run), runs the steps and commits the batch with its offsets, exactly once.",
      "Beam options may follow as --name=value and override the runner profile."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin PipelineArgs pipeline;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE.yaml",
      description = "Runner profile (default: runner-profiles/direct.yaml, the DirectRunner).")
  Path profile;

  @Option(
      names = "--trigger",
      paramLabel = "once|available-now|processing-time",
      converter = TriggerConverter.class,
      description =
          "once: one batch; available-now: batches until the end offsets at launch;"
              + " processing-time: a window committed every --trigger-duration until stopped.")
  Trigger trigger;

  @Option(
      names = "--trigger-duration",
      paramLabel = "DURATION",
      description =
          "How often a continuous run commits a window, e.g. 20s, \"1 minute\" (implies"
              + " --trigger processing-time).")
  String triggerDuration;

  @Option(
      names = "--max-records-per-batch",
      paramLabel = "N",
      description = "Cap on the records one batch reads.")
  Long maxRecordsPerBatch;

  @Option(
      names = "--max-read-time",
      paramLabel = "DURATION",
      description =
          "Wall-clock cap on one batch's read, e.g. 90s, 5m; what was read by then is"
              + " committed.")
  String maxReadTime;

  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    Main.prepareBeamOptionsInBackground();
    List<String> extra = new ArrayList<>();
    if (trigger != null) {
      extra.add("streaming.triggerMode=" + trigger.configName());
      if (trigger != Trigger.PROCESSING_TIME && triggerDuration == null) {
        // a batch trigger from the command line wins over a pipeline's triggerDuration
        extra.add("streaming.triggerDuration=");
      }
    }
    if (triggerDuration != null) {
      if (trigger == null) {
        extra.add("streaming.triggerMode=" + Trigger.PROCESSING_TIME.configName());
      }
      extra.add("streaming.triggerDuration=" + triggerDuration);
    }
    if (maxReadTime != null) {
      extra.add("streaming.maxReadTime=" + maxReadTime);
    }
    if (maxRecordsPerBatch != null) {
      extra.add("streaming.maxRecordsPerBatch=" + maxRecordsPerBatch);
    }
    PipelineConfig config = pipeline.load(extra, command.commandLine().getErr());
    PrintStream out = System.out;
    if (config.explain()) {
      Explain.print(new BatchJob(config), out);
    }
    Runs.run(
        config,
        config.streaming().triggerMode(),
        c -> RunnerProfile.options(profile, beamOptions, config.name(), System::getenv, c),
        out);
    return 0;
  }

  /** Accepts once, available-now, AvailableNow, ... */
  static final class TriggerConverter implements CommandLine.ITypeConverter<Trigger> {
    @Override
    public Trigger convert(String value) {
      Trigger trigger = Trigger.parse(value);
      if (trigger == null) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a trigger; use once, available-now or processing-time");
      }
      return trigger;
    }
  }
}
