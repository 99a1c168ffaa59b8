package dev.floe.plan;

import dev.floe.commit.Offsets;
import dev.floe.commit.OffsetsToCommit;
import dev.floe.source.KafkaRange;
import java.util.List;
import java.util.Map;

/**
 * The offsets a batch commits, from what it read: per partition, the highest offset read plus one.
 * Read to their ends, the planned stop offsets are committed (they also cover offsets that hold no
 * record, such as transaction markers).
 */
final class OffsetsRead implements OffsetsToCommit {
  private final Offsets before;
  private final List<KafkaRange> ranges;
  private final ReadEnd end;

  /**
   * @param before the offsets committed before the batch
   */
  OffsetsRead(Offsets before, List<KafkaRange> ranges, ReadEnd end) {
    this.before = before;
    this.ranges = ranges;
    this.end = end;
  }

  @Override
  public Offsets after(Map<Integer, Long> maxRead) {
    Offsets out = before;
    for (KafkaRange r : ranges) {
      long next = r.to();
      if (end == ReadEnd.MAY_STOP_EARLY) {
        Long max = maxRead.get(r.partition());
        next = max == null ? r.from() : Math.min(r.to(), max + 1);
      }
      out = out.with(r.topic(), r.partition(), next);
    }
    return out;
  }

  @Override
  public long records(Offsets after) {
    long n = 0;
    for (KafkaRange r : ranges) {
      n += after.next(r.topic(), r.partition()) - r.from();
    }
    return n;
  }

  @Override
  public boolean unchanged(Offsets after) {
    for (KafkaRange r : ranges) {
      Long was = before.next(r.topic(), r.partition());
      if (after.next(r.topic(), r.partition()) != (was == null ? r.from() : was)) {
        return false;
      }
    }
    return true;
  }
}
