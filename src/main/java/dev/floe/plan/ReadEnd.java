package dev.floe.plan;

/** Where the reads of a batch end, and so how the offsets it commits are found. */
public enum ReadEnd {
  /** Every range is read to its planned end, which is committed. */
  PLANNED_END,
  /** A read deadline may stop ranges before their ends: the highest offset read decides. */
  MAY_STOP_EARLY
}
