package dev.floe.source;

import java.io.Serializable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * What each window of a continuous read holds, per partition: the first and last offsets read, the
 * number of records and the oldest Kafka timestamp. The committer derives the offsets a window
 * commits from it, and checks that the window follows what the table holds.
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
      return new Read(
          Math.min(firstOffset, other.firstOffset),
          Math.max(lastOffset, other.lastOffset),
          records + other.records,
          Math.min(oldestMillis, other.oldestMillis));
    }
  }

  @Override
  public PCollection<KV<Integer, Read>> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "Per record",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(Read.class)))
                .via(r -> KV.of(r.getPartition(), Read.of(r))))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Read.class)))
        .apply("Per partition", Combine.perKey(new Merge()));
  }

  private static final class Merge
      implements org.apache.beam.sdk.transforms.SerializableFunction<Iterable<Read>, Read> {
    @Override
    public Read apply(Iterable<Read> reads) {
      Read all = null;
      for (Read r : reads) {
        all = all == null ? r : all.merge(r);
      }
      return all;
    }
  }
}
