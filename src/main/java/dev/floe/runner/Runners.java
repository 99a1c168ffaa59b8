package dev.floe.runner;

import dev.floe.config.SinkConfig;
import dev.floe.errors.Causes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What Floe needs to know about the runner a batch runs on, in one place. No class in Floe imports
 * a runner (they are runtime dependencies), so runners are told apart by name.
 */
public final class Runners {
  /** Beam's name of the Flink runner, as a profile's {@code runner} gives it. */
  public static final String FLINK = "FlinkRunner";

  /** Beam's name of the Direct runner. */
  public static final String DIRECT = "DirectRunner";

  /** Beam's name of the Spark runner. */
  public static final String SPARK = "SparkRunner";

  /** The system property that makes Beam's Spark runner keep its context between pipelines. */
  private static final String SPARK_REUSE_CONTEXT = "beam.spark.test.reuseSparkContext";

  /** The Flink runner's {@code flinkMaster} for a cluster embedded in this JVM. */
  public static final String FLINK_EMBEDDED = "[local]";

  private Runners() {}

  public static boolean isFlink(PipelineOptions options) {
    return FLINK.equals(options.getRunner().getSimpleName());
  }

  public static boolean isDirect(PipelineOptions options) {
    return DIRECT.equals(options.getRunner().getSimpleName());
  }

  /**
   * Whether the runner wrote a job description instead of running it (Dataflow with {@code
   * --templateLocation}): nothing ran and nothing was committed.
   */
  public static boolean wroteATemplate(PipelineResult result) {
    return result.getClass().getSimpleName().equals("DataflowTemplateJob");
  }

  /**
   * A Spark master of {@code local[*]} with the threads it means (one per core) spelled out. Beam's
   * Spark runner tells a local master by {@code local} or {@code local[N]} only: for {@code
   * local[*]} it stages the class path, Floe's whole jar, which Spark then copies into a temporary
   * directory at the start of every run (seconds of disk writes, and left behind by a killed run).
   */
  static String sparkMaster(String master) {
    return master.replace(" ", "").equals("local[*]")
        ? "local[" + Runtime.getRuntime().availableProcessors() + "]"
        : master;
  }

  /**
   * Readies the runner for a batch after batch in one JVM (a continuous run's windows): Beam's
   * Spark runner then keeps one Spark context for all of them instead of starting one per batch.
   */
  public static void prepareForRepeatedBatches(PipelineOptions options) {
    if (SPARK.equals(options.getRunner().getSimpleName())) {
      System.setProperty(SPARK_REUSE_CONTEXT, "true");
    }
  }

  /**
   * Whether continuous mode runs as one streaming Beam job on this runner (Flink, Direct, Dataflow:
   * their streaming translation keeps a {@code @RequiresStableInput} committer's input stable),
   * rather than a loop of batches in this JVM (Spark, whose runner rejects it and splittable reads
   * in streaming).
   */
  public static boolean streamsWindows(PipelineOptions options) {
    return !SPARK.equals(options.getRunner().getSimpleName());
  }

  /**
   * The options a continuous run adds to a runner's profile (which wins where it sets them). Flink:
   * streaming, checkpoints in exactly-once mode at most {@link #MAX_CHECKPOINT_INTERVAL} apart (a
   * window commits once the checkpoint after it completes) into {@code checkpoints}, and the
   * committer's stable input drained when the read stops, so the last window commits too.
   */
  public static Map<String, String> continuousDefaults(
      String runner, Duration window, Path checkpoints) {
    Map<String, String> options = new LinkedHashMap<>();
    if (SPARK.equals(runner)) {
      return options;
    }
    options.put("streaming", "true");
    if (FLINK.equals(runner)) {
      Duration interval =
          window.compareTo(MAX_CHECKPOINT_INTERVAL) < 0 ? window : MAX_CHECKPOINT_INTERVAL;
      options.put("checkpointingInterval", String.valueOf(interval.toMillis()));
      options.put("checkpointingMode", "EXACTLY_ONCE");
      options.put("stateBackend", "filesystem");
      options.put("stateBackendStoragePath", checkpoints.toUri().toString());
      options.put("enableStableInputDrain", "true");
      // the sources' watermarks, which fire the windows, are emitted this often
      options.put("autoWatermarkInterval", "200");
      // Beam keeps a finished source (an empty input) running while checkpoints are on, so the
      // job could never end when the read stops; Flink checkpoints past finished tasks
      options.put("shutdownSourcesAfterIdleMs", "0");
    }
    return options;
  }

  /**
   * The bundles of a continuous run on Flink: short, whatever the profile sets for batches. With a
   * profile's batch bundles (flink-local.yaml: one per task) the windows fired seconds late.
   */
  public static Map<String, String> continuousOverrides(String runner) {
    return FLINK.equals(runner)
        ? Map.of("maxBundleSize", "5000", "maxBundleTimeMills", "200")
        : Map.of();
  }

  /** The longest wait between Flink checkpoints in a continuous run. */
  static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  /**
   * Whether {@code e} says the job was cancelled (an operator cancelled it on the runner): Flink's
   * client reports it as a failure of the job it waited for.
   */
  public static boolean wasCancelled(Throwable e) {
    return Causes.named(e, "JobCancellationException") != null;
  }

  /**
   * Whether a bounded source's splits go to the readers as they ask for them: on Flink (both of
   * Beam's Flink translations hand them out that way). Spark runs a split per task, each a bundle
   * of its own whose writers would each start new files; Direct and Dataflow get the slices spread
   * at random.
   */
  public static boolean readersPullSplits(PipelineOptions options) {
    return isFlink(options);
  }

  /**
   * The Direct runner's threads unless a profile sets {@code targetParallelism}: one per core, at
   * least two. Beam takes at least three, and one thread of its pool runs its scheduler, which
   * resubmits itself as soon as it has looked at every step's timers and bundles: with more threads
   * than cores that loop runs beside the threads that decode and write, and takes CPU from them.
   * With a thread per core it waits behind queued bundles and runs when a thread is free.
   */
  public static int directParallelism() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /**
   * How many keys the partitions of a table share on their way to the writers (distribution hash);
   * 0 for a key per partition. Beam's DirectRunner keeps a timer and grouped state per key and
   * looks at every key's timers each time it schedules work, so a batch spanning hundreds of
   * partitions spent more time there than writing. It gets 16 keys, or twice the cores if more,
   * each holding several partitions. Flink, Spark and Dataflow sort or hash keys at little cost per
   * key and keep a key per partition, which spreads the writing over all their workers.
   */
  public static int sharedWriteKeys(PipelineOptions options) {
    return isDirect(options) ? Math.max(16, 2 * Runtime.getRuntime().availableProcessors()) : 0;
  }

  /** The share of the heap a batch the runner holds whole may fill, unless a profile says. */
  static final double HELD_BATCH_HEAP_SHARE = 0.6;

  /**
   * The heap one batch may fill when the runner holds all of it before writing, else 0. Beam's
   * Direct runner with distribution hash keeps every row in its group-by-key until the read ends;
   * Flink, Spark and Dataflow spill or stream their shuffles, and with distribution none each
   * worker writes as it reads. A profile's {@code directBatchMemoryMb}, else a share of this JVM's
   * heap (the Direct runner runs in it).
   */
  public static long heldBatchBytes(PipelineOptions options, SinkConfig.Distribution distribution) {
    if (!isDirect(options) || distribution != SinkConfig.Distribution.HASH) {
      return 0;
    }
    int mb = options.as(FloeOptions.class).getDirectBatchMemoryMb();
    if (mb < 0) {
      throw new IllegalArgumentException(
          "directBatchMemoryMb "
              + mb
              + " in the runner profile is negative; use 0 for 60% of the"
              + " heap, or the megabytes one batch may fill");
    }
    return mb > 0
        ? mb * (1L << 20)
        : (long) (Runtime.getRuntime().maxMemory() * HELD_BATCH_HEAP_SHARE);
  }
}
