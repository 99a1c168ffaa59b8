package dev.floe.pipeline;

import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.decode.DecodeRecords;
import dev.floe.decode.InputSchema;
import dev.floe.transform.RowStep;
import dev.floe.transform.StepsPlan;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.values.Row;

/**
 * A Kafka record through decoding and every step, in one call: for pipelines whose steps are all
 * projections and functions ({@link StepsPlan#runsAsOneFunction}), run inside a writer's function
 * instead of as Beam steps of their own.
 */
final class RecordRows implements Serializable {
  private final DecodeRecords.Decoding decoding;
  private final List<RowStep> steps;

  RecordRows(InputSchema input, BatchTag batch, StepsPlan steps) {
    this.decoding = new DecodeRecords.Decoding(input, batch);
    this.steps = steps.rowSteps(batch);
  }

  /**
   * The record's row after the last step; null when it became a dead letter on the way (handed to
   * {@code deadLetters}) or was a tombstone.
   */
  Row apply(KafkaRecord<byte[], byte[]> record, Consumer<Row> deadLetters) {
    Row row = decoding.apply(record, deadLetters);
    for (int i = 0; i < steps.size() && row != null; i++) {
      row = steps.get(i).apply(row, deadLetters);
    }
    return row;
  }
}
