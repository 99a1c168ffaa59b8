package dev.floe.source;

import dev.floe.sink.OffsetsToCommit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offsets a batch commits, from what it read: per partition, the highest offset read plus one.
 * Without a read deadline every range is read to its end, so the planned stop offsets are
 * committed (they also cover offsets that hold no record, such as transaction markers).
 */
public final class OffsetsRead implements OffsetsToCommit {
  private final Map<String, Map<Integer, Long>> before;
  private final List<KafkaRange> ranges;
  private final boolean stoppedEarly;

  /**
   * @param before the offsets committed before the batch
   * @param stoppedEarly whether a deadline may have stopped the read before the ranges' ends
   */
  public OffsetsRead(
      Map<String, Map<Integer, Long>> before, List<KafkaRange> ranges, boolean stoppedEarly) {
    this.before = before;
    this.ranges = ranges;
    this.stoppedEarly = stoppedEarly;
  }

  @Override
  public Map<String, Map<Integer, Long>> after(Map<Integer, Long> maxRead) {
    Map<String, Map<Integer, Long>> out = new TreeMap<>();
    before.forEach((topic, parts) -> out.put(topic, new TreeMap<>(parts)));
    for (KafkaRange r : ranges) {
      long next = r.to();
      if (stoppedEarly) {
        Long max = maxRead.get(r.partition());
        next = max == null ? r.from() : Math.min(r.to(), max + 1);
      }
      out.computeIfAbsent(r.topic(), t -> new TreeMap<>()).put(r.partition(), next);
    }
    return out;
  }

  @Override
  public long records(Map<String, Map<Integer, Long>> after) {
    long n = 0;
    for (KafkaRange r : ranges) {
      n += after.get(r.topic()).get(r.partition()) - r.from();
    }
    return n;
  }

  @Override
  public boolean unchanged(Map<String, Map<Integer, Long>> after) {
    for (KafkaRange r : ranges) {
      long was = before.getOrDefault(r.topic(), Map.of()).getOrDefault(r.partition(), r.from());
      if (after.get(r.topic()).get(r.partition()) != was) {
        return false;
      }
    }
    return true;
  }
}
