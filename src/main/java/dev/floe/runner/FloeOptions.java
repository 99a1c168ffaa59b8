package dev.floe.runner;

import dev.floe.config.SinkConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Floe's own keys in a runner profile: defaults that depend on where a pipeline runs rather than on
 * the pipeline. A pipeline's own setting (its sink's {@code outputOptions}) wins.
 */
public interface FloeOptions extends PipelineOptions {
  @Description(
      "How rows reach the Iceberg writers when the sink does not say: none (each worker writes"
          + " the rows it transformed, no shuffle; up to workers x partitions files per batch) or"
          + " hash (rows are grouped by table partition first; one file per partition)")
  @Default.String("hash")
  String getWriteDistribution();

  void setWriteDistribution(String value);

  @Description(
      "How much heap, in MB, one batch may fill on the Direct runner with distribution hash, which"
          + " holds every row of a batch until its read ends; a larger backlog is read in several"
          + " batches, each committed. 0 (the default): 60% of the JVM's heap")
  @Default.Integer(0)
  int getDirectBatchMemoryMb();

  void setDirectBatchMemoryMb(int value);

  /** The profile's {@code writeDistribution}, checked. */
  static SinkConfig.Distribution writeDistribution(PipelineOptions options) {
    String value = options.as(FloeOptions.class).getWriteDistribution();
    SinkConfig.Distribution distribution = SinkConfig.Distribution.of(value);
    if (distribution == null) {
      throw new IllegalArgumentException(
          "writeDistribution '"
              + value
              + "' in the runner"
              + " profile is not a distribution; "
              + SinkConfig.Distribution.CHOICES);
    }
    return distribution;
  }
}
