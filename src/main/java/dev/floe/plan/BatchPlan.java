package dev.floe.plan;

import dev.floe.commit.Offsets;
import dev.floe.commit.OffsetsToCommit;
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
    Offsets committed,
    List<KafkaRange> ranges,
    List<KafkaRange> skipped) {

  public long records() {
    return ranges.stream().mapToLong(KafkaRange::count).sum();
  }

  public boolean isEmpty() {
    return records() == 0;
  }

  /** This batch with at most {@code max} records, shared among the partitions as they have them. */
  public BatchPlan capped(long max) {
    return new BatchPlan(
        batchId, previousBatchId, committed, BatchPlanner.cap(ranges, max), skipped);
  }

  /** Where each range ends, per partition: the offsets a batch that follows may read up to. */
  public Map<Integer, Long> ends() {
    Map<Integer, Long> out = new TreeMap<>();
    ranges.forEach(r -> out.put(r.partition(), r.to()));
    return out;
  }

  /** The offsets to commit once every range is read to its end. */
  public Offsets offsetsAfter() {
    return offsetsToCommit(ReadEnd.PLANNED_END).after(Map.of());
  }

  /** How the committer derives the offsets to commit from what the batch read. */
  public OffsetsToCommit offsetsToCommit(ReadEnd end) {
    return new OffsetsRead(committed, ranges, end);
  }

  /** The ranges as people read them: {@code p0[120,240) p1[118,230)}. */
  public String describeRanges() {
    StringBuilder b = new StringBuilder();
    for (KafkaRange r : ranges) {
      b.append(String.format(" p%d[%d,%d)", r.partition(), r.from(), r.to()));
    }
    return b.toString();
  }
}
