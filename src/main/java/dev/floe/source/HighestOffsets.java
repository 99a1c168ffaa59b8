package dev.floe.source;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * The highest offset of each partition in a bundle of Kafka records: one element per partition and
 * bundle, not one per record, so that the per-partition maximum that follows combines a few values
 * however large the batch.
 */
public final class HighestOffsets extends DoFn<KafkaRecord<byte[], byte[]>, KV<Integer, Long>> {
  private transient Map<Integer, Long> highest;

  @StartBundle
  public void startBundle() {
    highest = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element KafkaRecord<byte[], byte[]> r) {
    highest.merge(r.getPartition(), r.getOffset(), Math::max);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    highest.forEach(
        (partition, offset) ->
            context.output(
                KV.of(partition, offset),
                GlobalWindow.INSTANCE.maxTimestamp(),
                GlobalWindow.INSTANCE));
  }
}
