package dev.floe.deadletter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * A batch's dead letters by kind, with a few samples: what the run summary, the snapshot summaries
 * ({@code floe.dead-letters}, {@code floe.dead-letters.<KIND>}) and the {@code maxDeadLetterRatio}
 * check report. Counting also feeds one Beam metrics counter per kind ({@code
 * floe:dead_letters_<kind>}).
 *
 * @param byKind dead letters per {@code error_kind}
 * @param samples up to {@link #SAMPLES} dead letters as {@code topic-partition@offset (KIND)}, the
 *     lowest offsets first
 */
public record DeadLetterCounts(Map<String, Long> byKind, List<String> samples)
    implements Serializable {
  public static final int SAMPLES = 3;
  public static final String TOTAL = "floe.dead-letters";

  public static final DeadLetterCounts NONE = new DeadLetterCounts(Map.of(), List.of());

  public long total() {
    return byKind.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Kinds by count, largest first: {@code MALFORMED_JSON 40, INVALID_TIME 20}. */
  public String describe() {
    return byKind.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** The snapshot summary entries: the total, and the count of each kind seen. */
  public Map<String, String> summary() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(TOTAL, String.valueOf(total()));
    byKind.forEach((k, v) -> out.put(TOTAL + "." + k, String.valueOf(v)));
    return out;
  }

  /** Reads the counts back from a snapshot summary. */
  public static Map<String, Long> fromSummary(Map<String, String> summary) {
    Map<String, Long> out = new TreeMap<>();
    summary.forEach(
        (k, v) -> {
          if (k.startsWith(TOTAL + ".")) {
            out.put(k.substring(TOTAL.length() + 1), Long.parseLong(v));
          }
        });
    return out;
  }

  /** Counts {@code deadLetters} (rows of {@link DeadLetters#SCHEMA}) into one value per batch. */
  public static PCollectionView<DeadLetterCounts> of(PCollection<Row> deadLetters) {
    return deadLetters
        .apply("Count by kind", ParDo.of(new CountFn()))
        .setCoder(SerializableCoder.of(Letter.class))
        .apply("Counts", Combine.globally(new CountsFn()).asSingletonView());
  }

  /** One dead letter, reduced to what the counts need. */
  record Letter(String kind, String topic, Integer partition, Long offset) implements Serializable {
    String sample() {
      return topic + "-" + partition + "@" + offset + " (" + kind + ")";
    }
  }

  private static final Comparator<Letter> BY_POSITION =
      Comparator.comparing(Letter::topic, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Letter::partition, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Letter::offset, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * Reduces a dead letter to what the counts need, and counts it in Beam's metrics ({@code
   * floe:dead_letters}, {@code floe:dead_letters_<kind>}); call it where the dead letter is
   * handled, in a DoFn.
   */
  static Letter letter(Row deadLetter) {
    String kind = deadLetter.getString("error_kind");
    Metrics.counter("floe", "dead_letters").inc();
    Metrics.counter("floe", "dead_letters_" + kind.toLowerCase(java.util.Locale.ROOT)).inc();
    return new Letter(
        kind,
        deadLetter.getString("topic"),
        deadLetter.getInt32("partition"),
        deadLetter.getInt64("offset"));
  }

  private static final class CountFn extends DoFn<Row, Letter> {
    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Letter> out) {
      out.output(letter(r));
    }
  }

  /** Counts per kind and the lowest-positioned samples, of part of a batch; merged per batch. */
  public static final class Tally implements Serializable {
    private final TreeMap<String, Long> byKind = new TreeMap<>();
    private final List<Letter> samples = new ArrayList<>();

    /** Counts {@code deadLetter} (a row of {@link DeadLetters#SCHEMA}), in the metrics too. */
    public void add(Row deadLetter) {
      add(letter(deadLetter));
    }

    void add(Letter l) {
      byKind.merge(l.kind(), 1L, Long::sum);
      addSample(l);
    }

    public void addAll(Tally other) {
      other.byKind.forEach((k, v) -> byKind.merge(k, v, Long::sum));
      other.samples.forEach(this::addSample);
    }

    private void addSample(Letter l) {
      samples.add(l);
      samples.sort(BY_POSITION);
      if (samples.size() > SAMPLES) {
        samples.remove(samples.size() - 1);
      }
    }

    public boolean isEmpty() {
      return byKind.isEmpty();
    }

    // value equality, so that Beam's coders can tell two encodings of one tally apart from two
    // tallies

    @Override
    public boolean equals(Object o) {
      return o instanceof Tally other
          && byKind.equals(other.byKind)
          && samples.equals(other.samples);
    }

    @Override
    public int hashCode() {
      return byKind.hashCode() * 31 + samples.hashCode();
    }

    public DeadLetterCounts counts() {
      return new DeadLetterCounts(
          new TreeMap<>(byKind), samples.stream().map(Letter::sample).toList());
    }
  }

  /** Accumulates counts per kind and the lowest-positioned samples. */
  static final class CountsFn extends Combine.CombineFn<Letter, Tally, DeadLetterCounts> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally acc, Letter l) {
      acc.add(l);
      return acc;
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> accs) {
      Tally out = new Tally();
      accs.forEach(out::addAll);
      return out;
    }

    @Override
    public DeadLetterCounts extractOutput(Tally acc) {
      return acc.counts();
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(CoderRegistry registry, Coder<Letter> input) {
      return SerializableCoder.of(Tally.class);
    }

    @Override
    public Coder<DeadLetterCounts> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Letter> input) {
      return SerializableCoder.of(DeadLetterCounts.class);
    }
  }
}
