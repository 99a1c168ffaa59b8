package dev.floe.transform;

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
 * ({@code floe.dead-letters}, {@code floe.dead-letters.<KIND>}) and the {@code
 * maxDeadLetterRatio} check report. Counting also feeds one Beam metrics counter per kind ({@code
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
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
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
    summary.forEach((k, v) -> {
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
  record Letter(String kind, String topic, Integer partition, Long offset)
      implements Serializable {
    String sample() {
      return topic + "-" + partition + "@" + offset + " (" + kind + ")";
    }
  }

  private static final Comparator<Letter> BY_POSITION = Comparator
      .comparing(Letter::topic, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(Letter::partition, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(Letter::offset, Comparator.nullsFirst(Comparator.naturalOrder()));

  private static final class CountFn extends DoFn<Row, Letter> {
    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Letter> out) {
      String kind = r.getString("error_kind");
      Metrics.counter("floe", "dead_letters").inc();
      Metrics.counter("floe", "dead_letters_" + kind.toLowerCase(java.util.Locale.ROOT)).inc();
      out.output(new Letter(kind, r.getString("topic"), r.getInt32("partition"),
          r.getInt64("offset")));
    }
  }

  /** Accumulates counts per kind and the lowest-positioned samples. */
  static final class CountsFn
      extends Combine.CombineFn<Letter, CountsFn.Acc, DeadLetterCounts> {
    static final class Acc implements Serializable {
      final TreeMap<String, Long> byKind = new TreeMap<>();
      final List<Letter> samples = new ArrayList<>();

      void addSample(Letter l) {
        samples.add(l);
        samples.sort(BY_POSITION);
        if (samples.size() > SAMPLES) {
          samples.remove(samples.size() - 1);
        }
      }
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc acc, Letter l) {
      acc.byKind.merge(l.kind(), 1L, Long::sum);
      acc.addSample(l);
      return acc;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      for (Acc a : accs) {
        a.byKind.forEach((k, v) -> out.byKind.merge(k, v, Long::sum));
        a.samples.forEach(out::addSample);
      }
      return out;
    }

    @Override
    public DeadLetterCounts extractOutput(Acc acc) {
      return new DeadLetterCounts(new TreeMap<>(acc.byKind),
          acc.samples.stream().map(Letter::sample).toList());
    }

    @Override
    public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Letter> input) {
      return SerializableCoder.of(Acc.class);
    }

    @Override
    public Coder<DeadLetterCounts> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Letter> input) {
      return SerializableCoder.of(DeadLetterCounts.class);
    }
  }
}
