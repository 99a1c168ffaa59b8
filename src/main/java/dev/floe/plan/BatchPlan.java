package dev.floe.plan;

import dev.floe.commit.Offsets;
import dev.floe.commit.OffsetsToCommit;
import dev.floe.source.KafkaRange;
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
    Offsets committed,
    List<KafkaRange> ranges,
    List<KafkaRange> skipped) {

  public long records() {
    return ranges.stream().mapToLong(KafkaRange::count).sum();
  }

  public boolean isEmpty() {
    return records() == 0;
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
