package dev.floe.pipeline;

import dev.floe.config.Durations;
import dev.floe.config.PipelineConfig;
import dev.floe.plan.BatchPlan;
import dev.floe.runner.Runners;
import dev.floe.source.KafkaRange;
import dev.floe.source.StopReading;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous mode as one streaming Beam job ({@link StreamingGraph}) that commits a window every
 * {@code triggerDuration}. The read starts at the offsets the table holds, so a job started fresh
 * resumes exactly where the last one stopped. SIGTERM or SIGINT stop the read; the windows under
 * way then fire and commit, and the job ends. While it runs, each committed window is printed.
 */
final class StreamingRun {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingRun.class);

  private StreamingRun() {}

  /** Runs until stopped or {@code maxReadTime} has passed; the number of windows committed. */
  static int run(BatchJob job, PipelineOptions options, PrintStream out) {
    PipelineConfig config = job.config();
    Duration every = config.streaming().triggerDuration();
    Duration runFor = config.streaming().maxReadTime();
    BatchPlan plan = job.plan(null);
    Runs.pinStartingOffsets(job, plan, out);
    Map<Integer, Long> start = new TreeMap<>();
    for (KafkaRange r : plan.ranges()) {
      start.put(r.partition(), r.from());
    }
    Instant started = Instant.now();
    Long deadline = runFor == null ? null : started.plus(runFor).toEpochMilli();
    out.printf(
        "%s: continuous, a window every %s as one %s job, from offsets %s%s; SIGTERM or Ctrl-C"
            + " commits the windows under way and stops%n",
        config.name(),
        Durations.describe(every),
        options.getRunner().getSimpleName().replace("Runner", ""),
        start,
        runFor == null ? "" : ", reading for " + Durations.describe(runFor));
    StopReading.reset();
    Pipeline p = Pipeline.create(options);
    new StreamingGraph(job, start, deadline).build(p);
    WindowWatcher watcher = WindowWatcher.start(job, out);
    try (StopSignal stop = StopSignal.install(out)) {
      stop.whenRequested(StopReading::request);
      PipelineResult.State state;
      try {
        PipelineResult running = p.run();
        if (Runners.wroteATemplate(running)) {
          out.printf(
              "%s: the streaming job was written as a Dataflow template (templateLocation); it"
                  + " did not run and nothing was committed%n",
              config.name());
          return 0;
        }
        state = running.waitUntilFinish();
      } catch (RuntimeException e) {
        if (!Runners.wasCancelled(e)) {
          throw e;
        }
        state = PipelineResult.State.CANCELLED;
      }
      if (state == PipelineResult.State.CANCELLED) {
        out.printf(
            "%s: the job was cancelled; the windows it committed stay committed, and the next run"
                + " continues from them%n",
            config.name());
      } else if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException(
            "the runner ended the continuous job in state "
                + state
                + "; the windows committed stay committed, and the next run continues from"
                + " the committed offsets");
      }
    } finally {
      watcher.stop();
    }
    LOG.info("{}: continuous job done, {} windows committed", config.name(), watcher.windows());
    out.printf(
        "%s: stopped after %d committed window%s in %.1f s%n",
        config.name(),
        watcher.windows(),
        watcher.windows() == 1 ? "" : "s",
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return watcher.windows();
  }
}
