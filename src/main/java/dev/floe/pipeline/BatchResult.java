package dev.floe.pipeline;

import dev.floe.commit.Offsets;
import dev.floe.plan.BatchPlan;
import java.time.Duration;
import java.util.Map;

/**
 * What one committed batch did.
 *
 * @param offsets the offsets committed: next offset per topic and partition
 * @param rowsPerPartition rows added per table partition, e.g. {@code source=/sensors/a,
 *     hour=2026-11-24-10}
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
    Duration took) {}
