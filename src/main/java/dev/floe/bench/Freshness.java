package dev.floe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * How fresh a continuously written table kept its rows: for every row, the time of the snapshot
 * that added it past the row's Kafka timestamp ({@code _kafka_timestamp}, which Floe and the peers
 * write). Rows produced during the warm-up (JVM and job start) are left out of the percentiles.
 *
 * @param rows rows in the table
 * @param measured rows past the warm-up, which the percentiles cover
 * @param p50Ms median freshness
 * @param p95Ms 95th percentile
 * @param maxMs the stalest row
 * @param firstHalfP95Ms p95 of the measured rows produced in the first half of the measured time
 * @param secondHalfP95Ms the same for the second half: far above the first, the lag grew
 * @param snapshots snapshots that added rows
 * @param lastCommitAfterProducedMs the last commit's time past the end of production
 */
record Freshness(
    long rows,
    long measured,
    long p50Ms,
    long p95Ms,
    long maxMs,
    long firstHalfP95Ms,
    long secondHalfP95Ms,
    int snapshots,
    long lastCommitAfterProducedMs) {

  /**
   * Whether the run kept up: the stalest rows of the second half no staler than the first half's
   * plus one trigger, and every row committed within two triggers (plus a commit) of the end.
   */
  boolean keptUp(long triggerMs) {
    return secondHalfP95Ms <= firstHalfP95Ms + triggerMs
        && lastCommitAfterProducedMs <= 2 * triggerMs + 5_000;
  }

  /** Reads {@code table}; rows produced before {@code measureFromMs} are warm-up. */
  static Freshness of(Table table, long measureFromMs, long producedUntilMs) {
    List<long[]> perRow = new ArrayList<>(); // {kafka timestamp, freshness}
    int snapshots = 0;
    long lastCommit = 0;
    for (Snapshot s : table.snapshots()) {
      int before = perRow.size();
      IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table).select("_kafka_timestamp");
      scan =
          s.parentId() == null
              ? scan.useSnapshot(s.snapshotId())
              : scan.appendsBetween(s.parentId(), s.snapshotId());
      try (CloseableIterable<Record> records = scan.build()) {
        for (Record r : records) {
          long produced =
              ((OffsetDateTime) r.getField("_kafka_timestamp")).toInstant().toEpochMilli();
          perRow.add(new long[] {produced, s.timestampMillis() - produced});
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (perRow.size() > before) {
        snapshots++;
        lastCommit = Math.max(lastCommit, s.timestampMillis());
      }
    }
    long middle = measureFromMs + (producedUntilMs - measureFromMs) / 2;
    long[] all = freshness(perRow, measureFromMs, Long.MAX_VALUE);
    long[] first = freshness(perRow, measureFromMs, middle);
    long[] second = freshness(perRow, middle, Long.MAX_VALUE);
    return new Freshness(
        perRow.size(),
        all.length,
        percentile(all, 50),
        percentile(all, 95),
        all.length == 0 ? 0 : all[all.length - 1],
        percentile(first, 95),
        percentile(second, 95),
        snapshots,
        lastCommit - producedUntilMs);
  }

  private static long[] freshness(List<long[]> rows, long fromMs, long untilMs) {
    long[] out =
        rows.stream().filter(r -> r[0] >= fromMs && r[0] < untilMs).mapToLong(r -> r[1]).toArray();
    Arrays.sort(out);
    return out;
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, (long) sorted.length * p / 100)];
  }
}
