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
 * A running batch's progress until it ends: records read of those planned, rows written, the read
 * rate and an estimate of the time left. A batch of millions of records is otherwise silent until
 * it commits. On a terminal ({@link TerminalLine}) a line rewritten every {@link #ON_TERMINAL};
 * elsewhere a log line every {@link #EVERY}. It reads counters the readers and writers in this JVM
 * keep (Direct, embedded Flink and Spark); when a cluster's workers do the reading, nothing is
 * counted here and nothing is shown.
 */
final class BatchProgress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchProgress.class);

  /** How often a running batch says how far it is in the log. */
  static final Duration EVERY = Duration.ofSeconds(10);

  /** How often the line on a terminal is brought up to date. */
  static final Duration ON_TERMINAL = Duration.ofSeconds(1);

  private final ScheduledExecutorService timer;
  private final TerminalLine terminal;

  private BatchProgress(ScheduledExecutorService timer, TerminalLine terminal) {
    this.timer = timer;
    this.terminal = terminal;
  }

  /** Starts logging the progress of the batch {@code label} of {@code planned} records. */
  static BatchProgress start(String label, long planned) {
    long readBefore = ReadProgress.records();
    long writtenBefore = WriteProgress.rows();
    long started = System.nanoTime();
    TerminalLine terminal = TerminalLine.installed();
    Duration every = terminal == null ? EVERY : ON_TERMINAL;
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
            long written = WriteProgress.rows() - writtenBefore;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (terminal == null) {
              LOG.info(line(label, planned, read, written, elapsed));
            } else {
              terminal.show(shortLine(label, planned, read, written, elapsed));
            }
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return new BatchProgress(timer, terminal);
  }

  /**
   * The progress line, e.g. {@code batch 1: read 1,200,000 of 5,000,000 records (24%), wrote
   * 1,150,000 rows, 60,000 records/s, about 63 s left to read}. Runners that group rows before
   * writing them write most rows after the last is read, so the estimate is of the reading.
   */
  static String line(String label, long planned, long read, long written, Duration elapsed) {
    Figures f = new Figures(planned, read, elapsed);
    return String.format(
        Locale.ROOT,
        "%s: read %,d of %,d records (%d%%), wrote %,d rows, %,.0f records/s, %s",
        label,
        read,
        planned,
        f.percent(),
        written,
        f.rate(),
        f.allRead()
            ? "writing the last files"
            : String.format(Locale.ROOT, "about %.0f s left to read", f.secondsLeft()));
  }

  /**
   * The same on a terminal, short enough for one row of 80 columns, e.g. {@code append: batch 1:
   * 24% of 5,000,000 · 1,150,000 written · 60,000/s · 63 s left} (the percentage is of the records
   * read).
   */
  static String shortLine(String label, long planned, long read, long written, Duration elapsed) {
    Figures f = new Figures(planned, read, elapsed);
    String left =
        f.allRead()
            ? "all read, writing"
            : String.format(Locale.ROOT, "%.0f s left", f.secondsLeft());
    return String.format(
        Locale.ROOT,
        "%s: %d%% of %,d · %,d written · %,.0f/s · %s",
        label,
        f.percent(),
        planned,
        written,
        f.rate(),
        left);
  }

  /** How far the reading is: the share read, records per second and the time left at that rate. */
  private record Figures(long percent, double rate, long left) {
    Figures(long planned, long read, Duration elapsed) {
      this(
          planned == 0 ? 100 : Math.min(100, read * 100 / planned),
          read / Math.max(0.001, elapsed.toMillis() / 1000.0),
          Math.max(0, planned - read));
    }

    boolean allRead() {
      return left == 0;
    }

    double secondsLeft() {
      return left / Math.max(rate, 1);
    }
  }

  /** Stops; a line on the terminal is erased, so the batch's result starts on a clean line. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      // the last update may be drawing the line right now
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal != null) {
      terminal.clear();
    }
  }
}
