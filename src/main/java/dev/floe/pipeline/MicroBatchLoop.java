package dev.floe.pipeline;

import dev.floe.config.Durations;
import dev.floe.config.PipelineConfig;
import dev.floe.plan.BatchPlan;
import dev.floe.runner.Runners;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous mode as a loop in one JVM: every {@code triggerDuration} the records that arrived
 * since the last commit are read, transformed and committed as one batch, with the batch protocol
 * (offsets in the snapshot, the ancestry check, dead letters first). A batch that overruns its
 * window starts the next at once; a window with nothing new commits nothing. Stops after the window
 * under way when signalled (SIGTERM, SIGINT) or when {@code maxReadTime} has passed, and commits
 * what arrived until then.
 */
final class MicroBatchLoop {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchLoop.class);

  private MicroBatchLoop() {}

  static List<BatchResult> run(BatchJob job, PipelineOptions options, PrintStream out) {
    PipelineConfig config = job.config();
    Duration every = config.streaming().triggerDuration();
    Duration runFor = config.streaming().maxReadTime();
    Runners.prepareForRepeatedBatches(options);
    Instant started = Instant.now();
    Instant deadline = runFor == null ? null : started.plus(runFor);
    out.printf(
        "%s: continuous, a window every %s%s; SIGTERM or Ctrl-C commits the window under way and"
            + " stops%n",
        config.name(),
        Durations.describe(every),
        deadline == null ? "" : ", reading for " + Durations.describe(runFor));
    LOG.info(
        "{}: continuous run, a window every {} (one batch per window, on {})",
        config.name(),
        Durations.describe(every),
        options.getRunner().getSimpleName());
    List<BatchResult> results = new ArrayList<>();
    try (StopSignal stop = StopSignal.install(out)) {
      Instant next = started;
      boolean last = false;
      while (!last) {
        Instant until = deadline != null && deadline.isBefore(next) ? deadline : next;
        boolean stopped = stop.awaitStop(Duration.between(Instant.now(), until));
        last = stopped || (deadline != null && !Instant.now().isBefore(deadline));
        Instant windowStart = Instant.now();
        BatchResult result = window(job, options, results.size() + 1, out);
        if (result != null) {
          results.add(result);
        }
        last |= stop.requested();
        next = next.plus(every);
        if (next.isBefore(Instant.now())) {
          // the window overran: the next one starts at once, and the ticks move with it
          LOG.info(
              "{}: a window took {} ms, longer than triggerDuration",
              config.name(),
              Duration.between(windowStart, Instant.now()).toMillis());
          next = Instant.now();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.printf(
        "%s: stopped after %d committed window%s in %.1f s%n",
        config.name(),
        results.size(),
        results.size() == 1 ? "" : "s",
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return results;
  }

  /** One window: what arrived since the last commit, as a batch; null when nothing did. */
  private static BatchResult window(
      BatchJob job, PipelineOptions options, int number, PrintStream out) {
    BatchPlan plan = job.plan(null);
    if (Runs.pinStartingOffsets(job, plan, out) || plan.isEmpty()) {
      LOG.debug("{}: nothing new in window {}", job.config().name(), number);
      return null;
    }
    BatchResult result = Runs.runBatch(job, plan, options, null, number, out);
    if (result != null) {
      print(job, number, result, out);
      Runs.appendToAuditLog(job.config(), job, result, out);
      ScheduledMaintenance.afterCommit(job, out);
    }
    return result;
  }

  private static void print(BatchJob job, int number, BatchResult r, PrintStream out) {
    long lag = lag(job, r);
    String line =
        String.format(
            Locale.ROOT,
            "%s: window %d committed snapshot %d: %,d records, %,d rows, %,d dead letters,"
                + " %,d files, %.1f s (commit %.1f s), lag %,d records, freshness %s",
            job.config().name(),
            number,
            r.snapshotId(),
            r.plan().records(),
            r.rowsWritten(),
            r.deadLetters(),
            Long.parseLong(r.summary().getOrDefault("added-data-files", "0")),
            r.took().toMillis() / 1000.0,
            r.commit().toMillis() / 1000.0,
            lag,
            r.oldestRecord() == null
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%.1f s",
                    Duration.between(r.oldestRecord(), r.committedAt()).toMillis() / 1000.0));
    out.println(line);
    LOG.info(line);
  }

  /** The records the topic holds past what is committed now. */
  private static long lag(BatchJob job, BatchResult r) {
    long lag = 0;
    Map<Integer, Long> committed = r.offsets().partitions(job.config().input().topic());
    for (Map.Entry<Integer, Long> end : job.endOffsets().entrySet()) {
      lag += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
    }
    return lag;
  }
}
