package dev.floe.plan;

import dev.floe.source.KafkaRange;
import dev.floe.source.OffsetsRead;
import java.util.List;
import java.util.Map;

/**
 * One batch: the offset ranges it reads, and the offsets the table holds when it commits.
 *
 * @param previousBatchId the pipeline's newest committed batch seen at launch (null for none); the
 *     commit fails if another run committed after it
 * @param committed the offsets committed before this batch
 * @param skipped committed offsets that retention deleted before they were read, skipped because
 *     {@code failOnDataLoss} is false
 */
public record BatchPlan(
    String batchId,
    String previousBatchId,
    Map<String, Map<Integer, Long>> committed,
    List<KafkaRange> ranges,
    List<KafkaRange> skipped) {

  public long records() {
    return ranges.stream().mapToLong(KafkaRange::count).sum();
  }

  public boolean isEmpty() {
    return records() == 0;
  }

  /** The offsets to commit: next offset per partition once every range is read. */
  public Map<String, Map<Integer, Long>> offsetsAfter() {
    return new OffsetsRead(committed, ranges, false).after(Map.of());
  }
}
