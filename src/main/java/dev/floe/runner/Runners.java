package dev.floe.runner;

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
   * Whether a bounded source's splits go to the readers as they ask for them: on Flink (both of
   * Beam's Flink translations hand them out that way). Spark runs a split per task, each a bundle
   * of its own whose writers would each start new files; Direct and Dataflow get the slices spread
   * at random.
   */
  public static boolean readersPullSplits(PipelineOptions options) {
    return isFlink(options);
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
}
