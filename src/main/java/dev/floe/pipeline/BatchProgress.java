package dev.floe.pipeline;

import dev.floe.source.ReadProgress;
import dev.floe.write.WriteProgress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running batch's progress, logged every {@link #EVERY} until it ends: records read of those
 * planned, rows written, the read rate and an estimate of the time left. A batch of millions of
 * records is otherwise silent until it commits. It reads counters the readers and writers in this
 * JVM keep (Direct, embedded Flink and Spark); when a cluster's workers do the reading, nothing is
 * counted here and nothing is logged.
 */
final class BatchProgress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchProgress.class);

  /** How often a running batch says how far it is. */
  static final Duration EVERY = Duration.ofSeconds(10);

  private final ScheduledExecutorService timer;

  private BatchProgress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts logging the progress of the batch {@code label} of {@code planned} records. */
  static BatchProgress start(String label, long planned) {
    long readBefore = ReadProgress.records();
    long writtenBefore = WriteProgress.rows();
    long started = System.nanoTime();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floe-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(
        () -> {
          long read = ReadProgress.records() - readBefore;
          if (read > 0) {
            LOG.info(
                line(
                    label,
                    planned,
                    read,
                    WriteProgress.rows() - writtenBefore,
                    Duration.ofNanos(System.nanoTime() - started)));
          }
        },
        EVERY.toMillis(),
        EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return new BatchProgress(timer);
  }

  /**
   * The progress line, e.g. {@code batch 1: read 1,200,000 of 5,000,000 records (24%), wrote
   * 1,150,000 rows, 60,000 records/s, about 63 s left to read}. Runners that group rows before
   * writing them write most rows after the last is read, so the estimate is of the reading.
   */
  static String line(String label, long planned, long read, long written, Duration elapsed) {
    double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
    double rate = read / seconds;
    long left = Math.max(0, planned - read);
    return String.format(
        Locale.ROOT,
        "%s: read %,d of %,d records (%d%%), wrote %,d rows, %,.0f records/s, %s",
        label,
        read,
        planned,
        planned == 0 ? 100 : Math.min(100, read * 100 / planned),
        written,
        rate,
        left == 0
            ? "writing the last files"
            : String.format(Locale.ROOT, "about %.0f s left to read", left / Math.max(rate, 1)));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
