package dev.floe.source;

import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A batch's slices as a bounded source that splits into one source per slice, whatever bundle
 * size the runner asks for. A runner that hands splits to its readers as they finish the last
 * (Flink's split enumerator does) then balances the reading by itself: a reader that is done
 * takes the next slice, and the reading, decoding and writing chained behind it run in the same
 * task, without a shuffle in between.
 */
final class SliceSource extends BoundedSource<KafkaRange> {
  private final List<KafkaRange> slices;

  SliceSource(List<KafkaRange> slices) {
    this.slices = List.copyOf(slices);
  }

  List<KafkaRange> slices() {
    return slices;
  }

  @Override
  public List<SliceSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    return slices.size() <= 1 ? List.of(this)
        : slices.stream().map(s -> new SliceSource(List.of(s))).toList();
  }

  /** The records the slices hold: the work they stand for, not their own few bytes. */
  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
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
