package dev.floe.pipeline;

import dev.floe.commit.BatchCommitter;
import dev.floe.commit.CommitWindows;
import dev.floe.commit.Committed;
import dev.floe.commit.Offsets;
import dev.floe.commit.Snapshots;
import dev.floe.deadletter.DeadLetterCounts;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a line for each window a continuous job commits, by watching the table: records, rows,
 * dead letters, files, lag (the topic's end offsets past what is committed) and freshness (the
 * commit's time past the oldest record of the window). It reads the table, not the job, so it works
 * the same for a job in this JVM and one on a cluster.
 */
final class WindowWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WindowWatcher.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final BatchJob job;
  private final PrintStream out;
  private final Set<Long> seen = Collections.synchronizedSet(new HashSet<>());
  private final Thread thread;
  private volatile boolean stopped;
  private volatile int windows;

  private WindowWatcher(BatchJob job, PrintStream out) {
    this.job = job;
    this.out = out;
    Table table = job.tableOrNull();
    if (table != null) {
      Snapshots.ancestry(table).forEach(s -> seen.add(s.snapshotId()));
    }
    this.thread = new Thread(this::watch, "floe-window-watcher");
    thread.setDaemon(true);
  }

  static WindowWatcher start(BatchJob job, PrintStream out) {
    WindowWatcher w = new WindowWatcher(job, out);
    w.thread.start();
    return w;
  }

  /** Stops watching, after a last look at the table. */
  void stop() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(POLL.toMillis() * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    look();
  }

  int windows() {
    return windows;
  }

  private void watch() {
    while (!stopped) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      try {
        look();
      } catch (RuntimeException e) {
        LOG.debug("could not look at the table: {}", e.toString());
      }
    }
  }

  private synchronized void look() {
    Table table = job.tableOrNull();
    if (table == null) {
      return;
    }
    List<Snapshot> fresh = new ArrayList<>();
    for (Snapshot s : Snapshots.ancestry(table)) {
      if (seen.contains(s.snapshotId())) {
        break;
      }
      if (job.config().name().equals(s.summary().get(Committed.PIPELINE_ID))) {
        fresh.add(0, s);
      }
    }
    for (Snapshot s : fresh) {
      seen.add(s.snapshotId());
      if (s.summary().containsKey(CommitWindows.WINDOW_END)) {
        windows++;
        print(s);
      }
    }
    if (!fresh.isEmpty()) {
      // the streaming job commits on the workers; the launcher, which sees every window, maintains
      ScheduledMaintenance.afterCommit(job, out);
    }
  }

  private void print(Snapshot s) {
    Map<String, String> summary = s.summary();
    String oldest = summary.get(CommitWindows.OLDEST_RECORD);
    String freshness =
        oldest == null
            ? "-"
            : String.format(
                Locale.ROOT,
                "%.1f s",
                (s.timestampMillis() - Instant.parse(oldest).toEpochMilli()) / 1000.0);
    String line =
        String.format(
            Locale.ROOT,
            "%s: window ending %s committed snapshot %d: %s records, %s rows, %s dead letters,"
                + " %s files, lag %,d records, freshness %s",
            job.config().name(),
            summary.get(CommitWindows.WINDOW_END),
            s.snapshotId(),
            summary.getOrDefault(BatchCommitter.RECORDS_READ, "0"),
            Snapshots.addedRecords(s),
            summary.getOrDefault(DeadLetterCounts.TOTAL, "0"),
            summary.getOrDefault("added-data-files", "0"),
            lag(Offsets.fromJson(summary.get(Committed.OFFSETS))),
            freshness);
    out.println(line);
    LOG.info(line);
  }

  private long lag(Offsets committed) {
    try {
      Map<Integer, Long> done = committed.partitions(job.config().input().topic());
      long lag = 0;
      for (Map.Entry<Integer, Long> end : job.endOffsets().entrySet()) {
        lag += Math.max(0, end.getValue() - done.getOrDefault(end.getKey(), 0L));
      }
      return lag;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
