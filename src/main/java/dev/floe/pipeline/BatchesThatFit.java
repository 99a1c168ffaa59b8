package dev.floe.pipeline;

import dev.floe.plan.BatchPlan;
import dev.floe.source.KafkaOffsets;
import java.time.Duration;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many records of a topic one batch may read when the runner holds the whole batch on its heap
 * before writing ({@code Runners.heldBatchBytes}): a backlog bigger than that is read in several
 * batches, each committed, instead of failing with OutOfMemoryError after minutes of reading. The
 * records' size comes from a sample at the start of the planned ranges, so the cap follows the
 * topic: a topic of large events gets smaller batches.
 */
final class BatchesThatFit {
  private static final Logger LOG = LoggerFactory.getLogger(BatchesThatFit.class);

  /**
   * Heap a held row takes per byte of its Kafka record, at the batch's peak: the row encoded in its
   * chunk, the runner's copies of its grouped state, and the records of the slices being read. The
   * measurement behind it is in docs/performance.md ("A batch the Direct runner holds").
   */
  static final double HEAP_PER_RECORD_BYTE = 2.5;

  /** Tiny records still cost a held row's objects: they count as this many bytes. */
  static final double MIN_RECORD_BYTES = 64;

  /** Batches this small are not sampled: they fit in any heap a JVM runs Beam in. */
  static final long SAMPLE_ABOVE_RECORDS = 20_000;

  /** The records sampled for their size, spread over the planned partitions. */
  static final int SAMPLE_RECORDS = 2_000;

  /** How long the sample may take before the batch goes ahead uncapped. */
  static final Duration SAMPLE_WAIT = Duration.ofSeconds(5);

  /** The fewest records a batch is cut to, so that a batch of huge records still moves on. */
  static final long MIN_RECORDS = 1_000;

  /**
   * A cap on a batch's records.
   *
   * @param records the most records one batch reads
   * @param meanRecordBytes the sampled mean size of a record
   * @param heldBytes the heap one batch may fill
   */
  record Cap(long records, double meanRecordBytes, long heldBytes) {}

  private BatchesThatFit() {}

  /** The cap for {@code plan}, or null when it fits whole (or its records could not be sampled). */
  static Cap capFor(KafkaOffsets kafka, BatchPlan plan, long heldBytes) {
    if (heldBytes <= 0 || plan.records() <= SAMPLE_ABOVE_RECORDS) {
      return null;
    }
    OptionalDouble mean = kafka.meanRecordBytes(plan.ranges(), SAMPLE_RECORDS, SAMPLE_WAIT);
    if (mean.isEmpty()) {
      LOG.warn(
          "no record of the batch arrived within {} s to size it; reading {} records in one batch",
          SAMPLE_WAIT.toSeconds(),
          plan.records());
      return null;
    }
    long fit = recordsThatFit(heldBytes, mean.getAsDouble());
    LOG.info(
        "a held batch may fill {} MB of heap; records average {} bytes, so {} records fit in one",
        heldBytes >> 20,
        Math.round(mean.getAsDouble()),
        fit);
    return plan.records() > fit ? new Cap(fit, mean.getAsDouble(), heldBytes) : null;
  }

  /** How many records of {@code meanRecordBytes} fit in {@code heldBytes} of heap. */
  static long recordsThatFit(long heldBytes, double meanRecordBytes) {
    double perRecord = Math.max(MIN_RECORD_BYTES, meanRecordBytes) * HEAP_PER_RECORD_BYTE;
    return Math.max(MIN_RECORDS, (long) (heldBytes / perRecord));
  }
}
