package dev.floe.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads exactly the planned offset ranges, as a bounded collection of raw Kafka records (key and
 * value as bytes). Empty ranges are not read: a stop offset at or past the end of a partition would
 * wait for records that never come.
 *
 * <p>Without a read deadline, ranges are cut into slices of at least {@link #MIN_SLICE} records (at
 * most {@link #MAX_SLICES} in all, and the batch's last eighth finer) spread over the workers, so
 * that every worker reads, decodes and writes even when the topic has fewer partitions than there
 * are workers, or partitions of very different sizes, and the workers finish close together. With a
 * deadline a partition is read by one reader from its first offset: a slice stopped early would
 * leave a gap below offsets that other slices read.
 */
public final class KafkaRangeRead
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  private final String bootstrapServers;
  private final Map<String, String> consumerProperties;
  private final List<KafkaRange> ranges;
  private final Long maxReadMillis;
  private final SliceHandout handout;

  /** How a batch's slices reach the runner's readers. */
  public enum SliceHandout {
    /**
     * A source split per slice, which the readers take as they ask for more (Flink): each worker
     * reads, decodes and writes slices with no shuffle before the writers until none are left.
     */
    READERS_PULL,
    /** The slices spread over the workers at random (a shuffle), one reader per slice. */
    SHUFFLED
  }

  /** The fewest records a slice of a range holds. */
  static final long MIN_SLICE = 50_000;

  /** The most slices a batch is cut into, before its tail is cut finer. */
  static final int MAX_SLICES = 32;

  /** The share of a batch, in its smallest slices, that is cut finer: one eighth. */
  static final int TAIL_SHARE = 8;

  /** How many pieces a slice of the tail is cut into. */
  static final int TAIL_PIECES = 4;

  /** The fewest records a piece of the tail holds: smaller slices stay whole. */
  static final long MIN_TAIL_PIECE = 10_000;

  /**
   * @param maxReadMillis how long the read may take before it stops early; null for no cap
   * @param handout how the slices reach the readers
   */
  public KafkaRangeRead(
      String bootstrapServers,
      Map<String, String> consumerProperties,
      List<KafkaRange> ranges,
      Long maxReadMillis,
      SliceHandout handout) {
    this.bootstrapServers = bootstrapServers;
    this.consumerProperties = consumerProperties;
    List<KafkaRange> planned = ranges.stream().filter(r -> r.count() > 0).toList();
    this.ranges = maxReadMillis == null ? slices(planned, MIN_SLICE, MAX_SLICES) : planned;
    this.maxReadMillis = maxReadMillis;
    this.handout = handout;
  }

  /**
   * {@code ranges} cut into contiguous slices of about equal size, at least {@code minSlice}
   * records each unless a range is smaller, and about {@code maxSlices} in all; then the smallest
   * slices that hold the batch's last {@link #TAIL_SHARE}th are each cut into {@link #TAIL_PIECES}
   * (none smaller than {@link #MIN_TAIL_PIECE}).
   *
   * <p>Why a finer tail: readers take slices largest first, and Beam's Flink reader asks for its
   * next slice before it starts the one it was given, so each worker holds one in reserve. The
   * batch ends when the last worker is done with its last two slices; with slices of equal size the
   * other worker could idle for two slices' time. Small last slices make them end together.
   */
  static List<KafkaRange> slices(List<KafkaRange> ranges, long minSlice, int maxSlices) {
    long total = ranges.stream().mapToLong(KafkaRange::count).sum();
    long size = Math.max(minSlice, total / maxSlices);
    List<KafkaRange> even = new ArrayList<>();
    for (KafkaRange r : ranges) {
      even.addAll(cut(r, Math.max(1, r.count() / size)));
    }
    List<KafkaRange> smallestFirst = new ArrayList<>(even);
    smallestFirst.sort(Comparator.comparingLong(KafkaRange::count));
    Set<KafkaRange> tail = new HashSet<>();
    long inTail = 0;
    for (KafkaRange s : smallestFirst) {
      if (inTail >= total / TAIL_SHARE) {
        break;
      }
      if (s.count() >= TAIL_PIECES * MIN_TAIL_PIECE) {
        tail.add(s);
      }
      inTail += s.count();
    }
    List<KafkaRange> out = new ArrayList<>();
    for (KafkaRange s : even) {
      out.addAll(tail.contains(s) ? cut(s, TAIL_PIECES) : List.of(s));
    }
    return out;
  }

  /** {@code r} as {@code pieces} contiguous ranges of about equal size. */
  private static List<KafkaRange> cut(KafkaRange r, long pieces) {
    List<KafkaRange> out = new ArrayList<>();
    long from = r.from();
    for (long i = 1; i <= pieces; i++) {
      long to = i == pieces ? r.to() : r.from() + r.count() * i / pieces;
      out.add(new KafkaRange(r.topic(), r.partition(), from, to));
      from = to;
    }
    return out;
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin begin) {
    ReadDeadline deadline = maxReadMillis == null ? null : new ReadDeadline(maxReadMillis);
    PCollection<KafkaRange> slices =
        handout == SliceHandout.READERS_PULL
            // each worker reads slices until none are left, with no shuffle before the writers
            ? begin.apply("Slices as readers ask", Read.from(new SliceSource(ranges)))
            : begin
                .apply(
                    "Planned ranges",
                    Create.of(ranges).withCoder(SerializableCoder.of(KafkaRange.class)))
                // one reader per slice, spread over the workers (a Create is read by one of them)
                .apply("Spread slices", Reshuffle.viaRandomKey());
    return slices
        .apply(
            "Read Kafka", ParDo.of(new ReadRange(bootstrapServers, consumerProperties, deadline)))
        .setCoder(
            KafkaRecordCoder.of(
                NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())));
  }
}
