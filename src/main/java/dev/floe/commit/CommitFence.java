package dev.floe.commit;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Snapshot;

/**
 * What a commit checks, inside the commit, about the pipeline's newest snapshot in the table: that
 * no other run committed what this batch holds. Iceberg runs the check again on every retry after a
 * conflict with another writer, so two runs can never both commit the same offsets.
 */
public interface CommitFence extends Serializable {
  /**
   * Whether the batch may commit when {@code newest} is the pipeline's newest snapshot (or null).
   */
  boolean admits(Snapshot newest);

  /** What the fence expected, for the log of a conflict. */
  String expected();

  /**
   * A batch planned after {@code batchId} (null: the pipeline's first batch): nothing else may have
   * committed since.
   */
  static CommitFence afterBatch(String batchId) {
    return new AfterBatch(batchId);
  }

  /**
   * A continuous run's window whose records of {@code topic} start at {@code first} (partition to
   * offset): the pipeline's committed offsets may not be past them, whoever committed last.
   */
  static CommitFence fromOffsets(String topic, Map<Integer, Long> first) {
    return new FromOffsets(topic, Map.copyOf(first));
  }

  /** See {@link #afterBatch}. */
  record AfterBatch(String batchId) implements CommitFence {
    @Override
    public boolean admits(Snapshot newest) {
      String seen = newest == null ? null : newest.summary().get(Committed.BATCH_ID);
      return Objects.equals(seen, batchId);
    }

    @Override
    public String expected() {
      return batchId == null ? "no batch yet" : "batch " + batchId;
    }
  }

  /** See {@link #fromOffsets}. */
  record FromOffsets(String topic, Map<Integer, Long> first) implements CommitFence {
    @Override
    public boolean admits(Snapshot newest) {
      if (newest == null) {
        return true;
      }
      Offsets committed = Offsets.fromJson(newest.summary().get(Committed.OFFSETS));
      for (Map.Entry<Integer, Long> e : first.entrySet()) {
        Long next = committed.next(topic, e.getKey());
        if (next != null && next > e.getValue()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String expected() {
      return "committed offsets at most " + first + " of " + topic;
    }
  }
}
