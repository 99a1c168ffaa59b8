package dev.floe.decode;

import dev.floe.config.InputConfig;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import dev.floe.faults.FaultPoints;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Kafka records to rows (in the input's format: CloudEvents, Avro, JSON) and dead letters.
 * Tombstones (records with a null value) are counted and skipped, or dead letters with {@code
 * options.tombstones: dead-letter}.
 */
public final class DecodeRecords
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, RowsWithDeadLetters> {
  private static final TupleTag<Row> ROWS = new TupleTag<>("decoded") {};

  private final InputSchema input;
  private final BatchTag batch;

  public DecodeRecords(InputSchema input, BatchTag batch) {
    this.input = input;
    this.batch = batch;
  }

  @Override
  public RowsWithDeadLetters expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple out =
        records.apply(
            "Decode",
            ParDo.of(new DecodeFn(input, batch))
                .withOutputTags(ROWS, TupleTagList.of(DeadLetters.TAG)));
    return RowsWithDeadLetters.of(
        out.get(ROWS).setRowSchema(input.rowSchema()),
        out.get(DeadLetters.TAG).setRowSchema(DeadLetters.SCHEMA));
  }

  /**
   * The decoding of one record as a plain function: what the decode ParDo runs, and what a writer
   * that runs the whole per-record path calls.
   */
  public static final class Decoding implements Serializable {
    private final InputSchema schema;
    private final InputConfig input;
    private final BatchTag batch;
    private final Counter decoded = Metrics.counter("floe", "records_decoded");
    private final Counter tombstones = Metrics.counter("floe", "tombstones_skipped");

    /** The records' Kafka timestamps: the oldest says how fresh a committed batch is. */
    private final Distribution timestamps = Metrics.distribution("floe", "kafka_timestamp_millis");

    private transient RecordDecoder decoder;

    /** Reads Avro keys; null when keys stay bytes. */
    private transient AvroValues keys;

    public Decoding(InputSchema schema, BatchTag batch) {
      this.schema = schema;
      this.input = schema.config();
      this.batch = batch;
    }

    /**
     * The record's row; null when the record became a dead letter (handed to {@code deadLetters})
     * or was a tombstone that is counted and skipped.
     */
    public Row apply(KafkaRecord<byte[], byte[]> r, Consumer<Row> deadLetters) {
      if (decoder == null) {
        decoder = schema.decoder();
        keys = schema.keys();
      }
      FaultPoints.reached(FaultPoints.READ);
      timestamps.update(r.getTimestamp());
      byte[] value = r.getKV().getValue();
      if (value == null) {
        if (input.deadLetterTombstones()) {
          deadLetters.accept(
              deadLetter(
                  r, null, DeadLetters.Kind.TOMBSTONE, "the record's value is null (a tombstone)"));
        } else {
          tombstones.inc();
        }
        return null;
      }
      try {
        byte[] key = r.getKV().getKey();
        Row row =
            decoder.decode(
                r.getTopic(),
                r.getPartition(),
                r.getOffset(),
                r.getTimestamp(),
                r.getHeaders(),
                keys == null || key == null ? key : keys.row(key, "the key"),
                value);
        decoded.inc();
        return row;
      } catch (DecodeException e) {
        deadLetters.accept(deadLetter(r, value, e.kind, e.getMessage()));
        return null;
      }
    }

    private Row deadLetter(
        KafkaRecord<byte[], byte[]> r, byte[] value, DeadLetters.Kind kind, String message) {
      return DeadLetters.of(
          batch,
          r.getTopic(),
          r.getPartition(),
          r.getOffset(),
          r.getTimestamp(),
          r.getKV().getKey(),
          r.getHeaders(),
          value,
          input.maxValueBytes(),
          kind,
          message,
          "decode");
    }
  }

  private static final class DecodeFn extends DoFn<KafkaRecord<byte[], byte[]>, Row> {
    private final Decoding decoding;

    DecodeFn(InputSchema input, BatchTag batch) {
      this.decoding = new Decoding(input, batch);
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, MultiOutputReceiver out) {
      Row row = decoding.apply(r, out.get(DeadLetters.TAG)::output);
      if (row != null) {
        out.get(ROWS).output(row);
      }
    }
  }
}
