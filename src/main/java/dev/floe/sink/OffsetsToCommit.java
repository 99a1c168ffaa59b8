package dev.floe.sink;

import java.io.Serializable;
import java.util.Map;

/** How the committer turns what a batch read into the offsets it commits. */
public interface OffsetsToCommit extends Serializable {
  /** The offsets to commit, given the highest offset read per partition. */
  Map<String, Map<Integer, Long>> after(Map<Integer, Long> maxRead);

  /** How many offsets {@code after} moves past the offsets committed before the batch. */
  long records(Map<String, Map<Integer, Long>> after);

  /** Whether {@code after} moves no offset: nothing was read (a deadline fired first). */
  boolean unchanged(Map<String, Map<Integer, Long>> after);
}
