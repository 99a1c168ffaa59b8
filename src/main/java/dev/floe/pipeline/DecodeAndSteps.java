package dev.floe.pipeline;

import dev.floe.commit.NotYetCommitted;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import dev.floe.decode.DecodeRecords;
import dev.floe.transform.ApplySteps;
import java.util.List;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Decoding and the steps as Beam steps of their own, for a batch and a continuous run alike: the
 * rows of the sink's step, and every dead letter on the way that the dead-letter table does not
 * hold yet. The steps are applied in the caller's graph, not in a composite, so their names (which
 * a Flink checkpoint knows its operators by) stay where they were.
 */
final class DecodeAndSteps {
  private DecodeAndSteps() {}

  static RowsWithDeadLetters apply(
      PCollection<KafkaRecord<byte[], byte[]>> records,
      BatchJob job,
      BatchTag batch,
      NotYetCommitted newDeadLetter) {
    RowsWithDeadLetters decoded =
        records.apply("Decode records", new DecodeRecords(job.input(), batch));
    RowsWithDeadLetters rows =
        decoded
            .rows()
            .apply("Steps", new ApplySteps(job.steps(), batch, job.config().input().topic()));
    PCollection<Row> deadLetters =
        RowsWithDeadLetters.allDeadLetters(
                "All dead letters", records, List.of(decoded.deadLetters(), rows.deadLetters()))
            .apply("Drop dead letters already committed", Filter.by(newDeadLetter))
            .setRowSchema(DeadLetters.SCHEMA);
    return RowsWithDeadLetters.of(rows.rows(), deadLetters);
  }
}
