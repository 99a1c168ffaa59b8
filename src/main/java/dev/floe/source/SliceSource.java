package dev.floe.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A batch's slices as a bounded source that splits into a source per slice. Flink's runner (both of
 * Beam's Flink translations) hands a bounded source's splits to its readers one at a time as each
 * asks for more, so every worker reads, decodes and writes slices, chained in one task with no
 * shuffle in between, until none are left: a worker that runs faster reads more of them. Spread at
 * random, a worker could get several slices more than another and idle at the end; handed out as
 * asked, the workers finish close together ({@code docs/performance.md}).
 */
final class SliceSource extends BoundedSource<KafkaRange> {
  private final List<KafkaRange> slices;

  SliceSource(List<KafkaRange> slices) {
    this.slices = List.copyOf(slices);
  }

  List<KafkaRange> slices() {
    return slices;
  }

  /**
   * One source per slice, the largest last: Flink's runner hands out the splits from the end of the
   * list, so the largest go first and the smallest are left to even out the end.
   */
  @Override
  public List<SliceSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    if (slices.size() <= 1) {
      return List.of(this);
    }
    List<KafkaRange> smallestFirst = new ArrayList<>(slices);
    smallestFirst.sort(Comparator.comparingLong(KafkaRange::count));
    return smallestFirst.stream().map(s -> new SliceSource(List.of(s))).toList();
  }

  /** The records the slices hold: the work they stand for, not their own few bytes. */
  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return records();
  }

  private long records() {
    return slices.stream().mapToLong(KafkaRange::count).sum();
  }

  @Override
  public Coder<KafkaRange> getOutputCoder() {
    return SerializableCoder.of(KafkaRange.class);
  }

  @Override
  public BoundedReader<KafkaRange> createReader(PipelineOptions options) {
    return new Reader(this);
  }

  private static final class Reader extends BoundedReader<KafkaRange> {
    private final SliceSource source;
    private int next = -1;

    Reader(SliceSource source) {
      this.source = source;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      next++;
      return next < source.slices.size();
    }

    @Override
    public KafkaRange getCurrent() {
      if (next < 0 || next >= source.slices.size()) {
        throw new NoSuchElementException();
      }
      return source.slices.get(next);
    }

    @Override
    public void close() {}

    @Override
    public SliceSource getCurrentSource() {
      return source;
    }
  }
}
