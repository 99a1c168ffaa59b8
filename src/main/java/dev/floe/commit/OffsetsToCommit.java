package dev.floe.commit;

import java.io.Serializable;
import java.util.Map;

/**
 * How the committer turns what a batch read into the offsets it commits. The plan of the batch
 * knows its ranges; the committer knows what was read only when the reading is done.
 */
public interface OffsetsToCommit extends Serializable {
  /** The offsets to commit, given the highest offset read per partition. */
  Offsets after(Map<Integer, Long> maxRead);

  /** How many offsets {@code after} moves past the offsets committed before the batch. */
  long records(Offsets after);

  /** Whether {@code after} moves no offset: nothing was read (a deadline fired first). */
  boolean unchanged(Offsets after);
}
