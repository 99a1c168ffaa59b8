package dev.floe.pipeline;

import dev.floe.commit.Offsets;
import dev.floe.plan.BatchPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one committed batch did.
 *
 * @param offsets the offsets committed: next offset per topic and partition
 * @param rowsPerPartition rows added per table partition, e.g. {@code source=/sensors/a,
 *     hour=2026-11-24-10}
 * @param committedAt when the snapshot was committed
 * @param oldestRecord the oldest Kafka timestamp of the records read; null when the runner reports
 *     none
 */
public record BatchResult(
    BatchPlan plan,
    long snapshotId,
    Map<String, String> summary,
    Offsets offsets,
    long rowsWritten,
    Map<String, Long> rowsPerPartition,
    long deadLetters,
    Map<String, Long> deadLettersByKind,
    long tombstonesSkipped,
    Duration commit,
    Duration took,
    Instant committedAt,
    Instant oldestRecord) {}
