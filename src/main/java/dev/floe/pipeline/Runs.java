package dev.floe.pipeline;

import dev.floe.commit.BatchCommitter;
import dev.floe.config.PipelineConfig;
import dev.floe.config.StreamingConfig.Trigger;
import dev.floe.errors.RunFailure;
import dev.floe.plan.BatchPlan;
import dev.floe.runner.RunnerProfile;
import dev.floe.runner.Runners;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline: one batch ({@code Once}) or batches until the end offsets seen at launch ({@code
 * AvailableNow}), each planned, read, written and committed before the next; prints progress and a
 * summary of each batch on stdout, and logs each batch.
 */
public final class Runs {
  private static final Logger LOG = LoggerFactory.getLogger(Runs.class);

  private Runs() {}

  public static List<BatchResult> run(
      PipelineConfig config,
      Trigger trigger,
      Function<RunnerProfile.Continuous, PipelineOptions> options,
      PrintStream out) {
    if (trigger == Trigger.PROCESSING_TIME) {
      return continuous(new BatchJob(config), options, out);
    }
    BatchJob job = new BatchJob(config);
    Map<Integer, Long> stopAt = trigger == Trigger.AVAILABLE_NOW ? job.endOffsets() : null;
    List<BatchResult> results = new ArrayList<>();
    // set when a batch was too big for the runner's heap: a Once run then reads the rest of what
    // it planned in more batches
    boolean split = false;
    while (true) {
      PipelineOptions batchOptions = options.apply(null);
      BatchJob.Next next =
          job.planWithin(
              stopAt,
              Runners.heldBatchBytes(batchOptions, BatchGraph.distribution(config, batchOptions)));
      BatchPlan plan = next.plan();
      if (pinStartingOffsets(job, plan, out)) {
        return results;
      }
      if (plan.isEmpty()) {
        if (!(split && trigger == Trigger.ONCE)) {
          out.printf(
              "%s: nothing new to read in %s (committed offsets %s)%n",
              config.name(), config.input().topic(), plan.offsetsAfter());
          LOG.info("{}: nothing new to read in {}", config.name(), config.input().topic());
        }
        return results;
      }
      BatchesThatFit.Cap cap = next.cap();
      if (cap != null) {
        if (!split) {
          split = true;
          announceSplit(config, plan, cap, out);
          if (trigger == Trigger.ONCE) {
            stopAt = plan.ends();
          }
        }
        plan = plan.capped(cap.records());
      }
      int number = results.size() + 1;
      out.printf(
          "%s: batch %d (%s): reading %,d records of %s:%s%n",
          config.name(),
          number,
          plan.batchId(),
          plan.records(),
          config.input().topic(),
          plan.describeRanges());
      BatchResult result =
          runBatch(job, plan, batchOptions, config.streaming().maxReadTime(), number, out);
      if (result == null) {
        return results;
      }
      results.add(result);
      BatchReport.print(result, out);
      LOG.info(
          String.format(
              Locale.ROOT,
              "%s: batch %s committed snapshot %d: %s records read,"
                  + " %d rows, %d dead letters, %.1f s (commit %.1f s), offsets %s",
              config.name(),
              plan.batchId(),
              result.snapshotId(),
              result.summary().getOrDefault(BatchCommitter.RECORDS_READ, "?"),
              result.rowsWritten(),
              result.deadLetters(),
              result.took().toMillis() / 1000.0,
              result.commit().toMillis() / 1000.0,
              result.offsets()));
      appendToAuditLog(config, job, result, out);
      ScheduledMaintenance.afterCommit(job, out);
      if (trigger == Trigger.ONCE && !split) {
        return results;
      }
    }
  }

  /** Says why a batch reads less than the backlog, and how to get bigger batches. */
  private static void announceSplit(
      PipelineConfig config, BatchPlan plan, BatchesThatFit.Cap cap, PrintStream out) {
    String text =
        String.format(
            Locale.ROOT,
            "%s: %,d records to read, but the Direct runner holds a whole batch on its heap"
                + " (distribution hash) and about %,d records of %.0f bytes fit in the %,d MB it"
                + " may fill: reading them in batches of at most %,d, each committed. For bigger"
                + " batches give the JVM more heap (FLOE_JAVA_OPTS=-Xmx8g) or set"
                + " directBatchMemoryMb in the profile; flink-local.yaml writes as it reads",
            config.name(),
            plan.records(),
            cap.records(),
            cap.meanRecordBytes(),
            cap.heldBytes() >> 20,
            cap.records());
    out.println(text);
    LOG.info(text);
  }

  /**
   * Continuous mode: one streaming job where the runner's streaming translation keeps the
   * committer's input stable (Flink, Direct, Dataflow), else a loop of batches in this JVM (Spark).
   */
  private static List<BatchResult> continuous(
      BatchJob job,
      Function<RunnerProfile.Continuous, PipelineOptions> optionsFor,
      PrintStream out) {
    PipelineConfig config = job.config();
    PipelineOptions options =
        optionsFor.apply(
            new RunnerProfile.Continuous(
                config.streaming().triggerDuration(), streamingCheckpoints(config)));
    if (!Runners.streamsWindows(options)) {
      return MicroBatchLoop.run(job, options, out);
    }
    StreamingRun.run(job, options, out);
    return List.of();
  }

  /**
   * Where a streaming runner keeps its checkpoints: under the pipeline's checkpointLocation, else
   * in a temporary directory (the table holds the offsets; a checkpoint only speeds a restart).
   */
  private static Path streamingCheckpoints(PipelineConfig config) {
    String location = config.streaming().checkpointLocation();
    try {
      if (location != null) {
        Path dir = Path.of(location).resolve("runner-checkpoints");
        Files.createDirectories(dir);
        return dir.toAbsolutePath();
      }
      return Files.createTempDirectory("floe-checkpoints-");
    } catch (IOException e) {
      throw new RunFailure(
          "cannot create the directory for the runner's checkpoints under "
              + (location == null ? System.getProperty("java.io.tmpdir") : location)
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "). Check that streaming.checkpointLocation is a directory this user may write"
              + " to, or change it; nothing was read or committed",
          e);
    }
  }

  /**
   * On a pipeline's first run, when its starting offsets leave nothing to read, commits them (see
   * {@link BatchJob#commitStartingOffsets}); whether it did.
   */
  static boolean pinStartingOffsets(BatchJob job, BatchPlan plan, PrintStream out) {
    if (!plan.isEmpty() || plan.previousBatchId() != null || !plan.committed().isEmpty()) {
      return false;
    }
    var snapshot = job.commitStartingOffsets(plan);
    out.printf(
        "%s: nothing to read yet from startingOffsets %s; committed the starting"
            + " offsets %s (snapshot %d): the next run reads what arrives after them%n",
        job.config().name(),
        job.config().input().startingOffsets(),
        plan.offsetsAfter(),
        snapshot.snapshotId());
    return true;
  }

  /** Builds, runs and waits for one batch; null when it committed nothing and the run ends. */
  static BatchResult runBatch(
      BatchJob job,
      BatchPlan plan,
      PipelineOptions options,
      Duration readLimit,
      int number,
      PrintStream out) {
    PipelineConfig config = job.config();
    long started = System.nanoTime();
    Pipeline p = Pipeline.create(options);
    new BatchGraph(job, plan, readLimit).build(p);
    LOG.debug(
        "batch {}: graph built in {} ms",
        plan.batchId(),
        (System.nanoTime() - started) / 1_000_000);
    PipelineResult running;
    PipelineResult.State state;
    try (BatchProgress progress =
        BatchProgress.start(config.name() + ": batch " + number, plan.records())) {
      running = p.run();
      if (Runners.wroteATemplate(running)) {
        out.printf(
            "%s: batch %d was written as a Dataflow template (templateLocation); it did"
                + " not run and nothing was committed%n",
            config.name(), number);
        return null;
      }
      state = running.waitUntilFinish();
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "the runner ended batch "
              + plan.batchId()
              + " in state "
              + state
              + " instead of DONE; whatever it committed stays committed, and the next run"
              + " continues from the committed offsets");
    }
    BatchResult result =
        BatchReport.summarize(job, plan, Duration.ofNanos(System.nanoTime() - started), running);
    if (result == null) {
      out.printf(
          "%s: maxReadTime %s passed before any record was read; nothing committed%n",
          config.name(), config.streaming().maxReadTime());
    }
    return result;
  }

  static void appendToAuditLog(
      PipelineConfig config, BatchJob job, BatchResult result, PrintStream out) {
    if (config.streaming().checkpointLocation() == null) {
      return;
    }
    try {
      AuditLog.append(
          config.streaming().checkpointLocation(),
          config.name(),
          job.tables().target().id().toString(),
          result);
    } catch (UncheckedIOException e) {
      out.println("warning: the batch is committed, but " + e.getMessage() + ": " + e.getCause());
      LOG.warn("the batch is committed, but {}", e.getMessage(), e);
    }
  }
}
