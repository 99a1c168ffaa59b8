package dev.floe.commit;

import dev.floe.config.SinkConfig.OverwriteMode;
import dev.floe.config.SinkConfig.SaveMode;
import dev.floe.errors.ConcurrentRunException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one batch's data files and Kafka offsets to a table as one Iceberg transaction: the data
 * operation of the save mode, the snapshot summary ({@code floe.pipeline-id}, {@code
 * floe.batch-id}, {@code floe.kafka.offsets}) and the offsets table property.
 *
 * <p>The commit only succeeds if the pipeline's newest committed batch is still the one seen at
 * launch. The check is an Iceberg ancestry validator, so it runs again on every retry Iceberg makes
 * after a conflict with another writer: two runs can never both commit the same offsets.
 */
public final class BatchCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

  /** Summary key: the Kafka offsets the batch moved past (its records, counting any gaps). */
  public static final String RECORDS_READ = "floe.records-read";

  private BatchCommitter() {}

  /** Everything the committer needs besides the table and the files. */
  public record Request(
      String pipelineId,
      String batchId,
      CommitFence fence,
      Offsets offsets,
      SaveMode saveMode,
      OverwriteMode overwriteMode,
      Map<String, String> summary)
      implements Serializable {
    /** The same request committing {@code next} offsets, {@code records} past the last ones. */
    public Request withOffsets(Offsets next, long records) {
      Map<String, String> s = new java.util.TreeMap<>(summary);
      s.put(RECORDS_READ, String.valueOf(records));
      return new Request(pipelineId, batchId, fence, next, saveMode, overwriteMode, s);
    }

    /** The same request with {@code extra} entries in the snapshot summary. */
    public Request withSummary(Map<String, String> extra) {
      Map<String, String> s = new java.util.TreeMap<>(summary);
      s.putAll(extra);
      return new Request(pipelineId, batchId, fence, offsets, saveMode, overwriteMode, s);
    }
  }

  /** Commits, or finds the batch already committed; returns the batch's snapshot. */
  public static Snapshot commit(Table table, Request r, List<DataFile> files) {
    table.refresh();
    Snapshot done = Snapshots.ofBatch(table, r.batchId());
    if (done != null) {
      // a retried commit step: the batch is in the table already
      LOG.info(
          "{}: batch {} is already committed (snapshot {})",
          table.name(),
          r.batchId(),
          done.snapshotId());
      return done;
    }
    if (!r.fence().admits(Committed.newestOf(table, r.pipelineId()))) {
      throw conflict(table, r);
    }
    Fenced validator = new Fenced(r.pipelineId(), r.fence());
    Transaction tx = table.newTransaction();
    SnapshotUpdate<?> op = operation(tx, r, files);
    op.set(Committed.PIPELINE_ID, r.pipelineId());
    op.set(Committed.BATCH_ID, r.batchId());
    op.set(Committed.OFFSETS, r.offsets().toJson());
    r.summary().forEach(op::set);
    op.validateWith(validator);
    try {
      op.commit();
      tx.updateProperties()
          .set(Committed.OFFSETS_PROPERTY + r.pipelineId(), r.offsets().toJson())
          .commit();
      tx.commitTransaction();
    } catch (ValidationException e) {
      if (validator.failed) {
        throw conflict(table, r);
      }
      throw e;
    } catch (CommitStateUnknownException e) {
      LOG.warn(
          "{}: the catalog did not confirm the commit of batch {} ({}); looking for it in"
              + " the table",
          table.name(),
          r.batchId(),
          e.getMessage().lines().findFirst().orElse(""));
      Snapshot committed = committedMeanwhile(table, r);
      if (committed != null) {
        return committed;
      }
      throw new IllegalStateException(
          "the catalog did not confirm the commit of batch "
              + r.batchId()
              + " and the table does not hold it: nothing was committed; run again",
          e);
    }
    table.refresh();
    Snapshot snapshot = Snapshots.ofBatch(table, r.batchId());
    LOG.info(
        "{}: committed batch {} as snapshot {} ({}, {} data files, {} records), offsets {}",
        table.name(),
        r.batchId(),
        snapshot.snapshotId(),
        snapshot.operation(),
        files.size(),
        Snapshots.addedRecords(snapshot),
        r.offsets());
    return snapshot;
  }

  /** The batch's snapshot if the table holds it after all, or null. */
  private static Snapshot committedMeanwhile(Table table, Request r) {
    table.refresh();
    Snapshot committed = Snapshots.ofBatch(table, r.batchId());
    if (committed != null) {
      LOG.info(
          "{}: batch {} was committed (snapshot {})",
          table.name(),
          r.batchId(),
          committed.snapshotId());
    }
    return committed;
  }

  private static SnapshotUpdate<?> operation(Transaction tx, Request r, List<DataFile> files) {
    if (r.saveMode() == SaveMode.APPEND
        || files.isEmpty()
            && r.saveMode() == SaveMode.OVERWRITE
            && r.overwriteMode() == OverwriteMode.DYNAMIC) {
      var append = tx.newAppend();
      files.forEach(append::appendFile);
      return append;
    }
    if (r.saveMode() == SaveMode.OVERWRITE && r.overwriteMode() == OverwriteMode.DYNAMIC) {
      var replace = tx.newReplacePartitions();
      files.forEach(replace::addFile);
      return replace;
    }
    // complete, or a static overwrite: the batch's rows replace the whole table
    var overwrite = tx.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
    files.forEach(overwrite::addFile);
    return overwrite;
  }

  private static ConcurrentRunException conflict(Table table, Request r) {
    table.refresh();
    Committed now = Committed.of(table, r.pipelineId());
    LOG.warn(
        "{}: another run of pipeline {} committed batch {} (offsets {}) where this run expected"
            + " {}; batch {} commits nothing",
        table.name(),
        r.pipelineId(),
        now.batchId(),
        now.offsets(),
        r.fence().expected(),
        r.batchId());
    return new ConcurrentRunException(
        "another run of pipeline "
            + r.pipelineId()
            + " committed offsets "
            + now.offsets().toJson()
            + " to "
            + table.name()
            + " first (batch "
            + now.batchId()
            + "); nothing was committed by this run. Run again to read from there.");
  }

  /** Holds when the request's fence admits the pipeline's newest snapshot in the ancestry. */
  private static final class Fenced implements SnapshotAncestryValidator {
    private final String pipelineId;
    private final CommitFence fence;
    private boolean failed;

    Fenced(String pipelineId, CommitFence fence) {
      this.pipelineId = pipelineId;
      this.fence = fence;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
      failed = !fence.admits(Committed.newestOf(ancestry, pipelineId));
      return !failed;
    }

    @Override
    public String errorMessage() {
      return "another run of pipeline " + pipelineId + " committed first";
    }
  }
}
