package dev.floe.write;

import java.util.concurrent.atomic.LongAdder;

/**
 * Rows written by the writers in this JVM, for the progress of a long batch; workers of a cluster
 * count in their own JVMs.
 */
public final class WriteProgress {
  private static final LongAdder ROWS = new LongAdder();

  private WriteProgress() {}

  static void add(long rows) {
    ROWS.add(rows);
  }

  /** Rows written in this JVM since it started; a batch's progress is the difference. */
  public static long rows() {
    return ROWS.sum();
  }
}
