package dev.floe.source;

import java.util.concurrent.atomic.LongAdder;

/**
 * Records read by the readers in this JVM, for the progress of a long batch. Counted per poll, not
 * per record. Workers of a cluster count in their own JVMs: there the launcher sees nothing.
 */
public final class ReadProgress {
  private static final LongAdder RECORDS = new LongAdder();

  private ReadProgress() {}

  static void add(long records) {
    RECORDS.add(records);
  }

  /** Records read in this JVM since it started; a batch's progress is the difference. */
  public static long records() {
    return RECORDS.sum();
  }
}
