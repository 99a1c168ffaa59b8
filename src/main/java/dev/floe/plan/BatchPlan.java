package dev.floe.plan;

import dev.floe.source.KafkaRange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    Map<String, Map<Integer, Long>> out = new TreeMap<>();
    committed.forEach((topic, parts) -> out.put(topic, new TreeMap<>(parts)));
    for (KafkaRange r : ranges) {
      out.computeIfAbsent(r.topic(), t -> new TreeMap<>()).put(r.partition(), r.to());
    }
    return out;
  }
}
