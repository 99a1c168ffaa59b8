package dev.floe.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * What each window of a continuous read holds, per partition: the first and last offsets read, the
 * number of records and the oldest Kafka timestamp. The committer derives the offsets a window
 * commits from it, and checks that the window follows what the table holds.
 *
 * <p>Each bundle sums its records first, so only a few sums per bundle cross to the per-partition
 * combine, not one element per record. Every sum is a new immutable value: Flink snapshots its
 * state while the task goes on, and a value changed in place (a list of inputs, as a combine of a
 * plain function keeps) was read half-changed by a checkpoint.
 */
public final class WindowReads
    extends PTransform<
        PCollection<KafkaRecord<byte[], byte[]>>, PCollection<KV<Integer, WindowReads.Read>>> {

  /** The records of one partition in one window. */
  public record Read(long firstOffset, long lastOffset, long records, long oldestMillis)
      implements Serializable {
    static Read of(KafkaRecord<byte[], byte[]> r) {
      return new Read(r.getOffset(), r.getOffset(), 1, r.getTimestamp());
    }

    public Read merge(Read other) {
      if (other == null) {
        return this;
      }
      return new Read(
          Math.min(firstOffset, other.firstOffset),
          Math.max(lastOffset, other.lastOffset),
          records + other.records,
          Math.min(oldestMillis, other.oldestMillis));
    }
  }

  /** A {@link Read} as four numbers. */
  public static final class ReadCoder extends AtomicCoder<Read> {
    private static final Coder<Long> LONG = VarLongCoder.of();

    @Override
    public void encode(Read r, OutputStream out) throws IOException {
      LONG.encode(r.firstOffset(), out);
      LONG.encode(r.lastOffset(), out);
      LONG.encode(r.records(), out);
      LONG.encode(r.oldestMillis(), out);
    }

    @Override
    public Read decode(InputStream in) throws IOException {
      return new Read(LONG.decode(in), LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }
  }

  @Override
  public PCollection<KV<Integer, Read>> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    KvCoder<Integer, Read> coder = KvCoder.of(VarIntCoder.of(), new ReadCoder());
    return records
        .apply("Per bundle", ParDo.of(new PerBundle()))
        .setCoder(coder)
        .apply("Per partition", Combine.perKey(new Merge()))
        .setCoder(coder);
  }

  /** Sums the records of a bundle per window and partition; emits the sums when it ends. */
  private static final class PerBundle
      extends DoFn<KafkaRecord<byte[], byte[]>, KV<Integer, Read>> {
    private transient Map<KV<BoundedWindow, Integer>, Read> sums;

    @StartBundle
    public void start() {
      sums = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, BoundedWindow window) {
      sums.merge(KV.of(window, r.getPartition()), Read.of(r), Read::merge);
    }

    @FinishBundle
    public void finish(FinishBundleContext out) {
      sums.forEach(
          (key, read) ->
              out.output(KV.of(key.getValue(), read), key.getKey().maxTimestamp(), key.getKey()));
      sums = null;
    }
  }

  /** Merges the sums of a window and partition; the accumulator is never changed in place. */
  private static final class Merge extends Combine.CombineFn<Read, Read, Read> {
    @Override
    public Read createAccumulator() {
      return null;
    }

    @Override
    public Read addInput(Read accumulator, Read input) {
      return input.merge(accumulator);
    }

    @Override
    public Read mergeAccumulators(Iterable<Read> accumulators) {
      Read all = null;
      for (Read r : accumulators) {
        all = r == null ? all : r.merge(all);
      }
      return all;
    }

    @Override
    public Read extractOutput(Read accumulator) {
      return accumulator;
    }

    @Override
    public Coder<Read> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<Read> inputCoder) {
      return org.apache.beam.sdk.coders.NullableCoder.of(new ReadCoder());
    }
  }
}
