package dev.floe.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.config.SinkConfig.OverwriteMode;
import dev.floe.config.SinkConfig.SaveMode;
import dev.floe.errors.ConcurrentRunException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on a real Hadoop-catalog table. */
class BatchCommitterTest {
  @TempDir Path dir;
  private Table table;

  @BeforeEach
  void createTable() {
    HadoopCatalog catalog = new HadoopCatalog(new Configuration(), dir.toUri().toString());
    table =
        catalog.createTable(
            TableIdentifier.of("ns", "t"),
            new Schema(Types.NestedField.optional(1, "id", Types.StringType.get())),
            PartitionSpec.unpartitioned());
  }

  private DataFile file(String name, long rows) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(dir.resolve(name + ".parquet").toString())
        .withFileSizeInBytes(100)
        .withRecordCount(rows)
        .build();
  }

  private static BatchCommitter.Request request(String batch, String previous, long offset) {
    return new BatchCommitter.Request(
        "p",
        batch,
        CommitFence.afterBatch(previous),
        Offsets.of(Map.of("t", Map.of(0, offset))),
        SaveMode.APPEND,
        OverwriteMode.DYNAMIC,
        Map.of("floe.records-read", "10"));
  }

  @Test
  void commitsFilesOffsetsAndSummaryInOneSnapshot() {
    Snapshot s = BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    assertThat(s.summary())
        .containsEntry("floe.pipeline-id", "p")
        .containsEntry("floe.batch-id", "b1")
        .containsEntry("floe.kafka.offsets", "{\"t\":{\"0\":10}}")
        .containsEntry("added-records", "10");
    table.refresh();
    assertThat(table.properties()).containsEntry("floe.kafka.offsets.p", "{\"t\":{\"0\":10}}");
    assertThat(Committed.of(table, "p"))
        .isEqualTo(new Committed("b1", s.snapshotId(), Offsets.of(Map.of("t", Map.of(0, 10L)))));
  }

  @Test
  void aWindowMayNotCommitRecordsBelowTheCommittedOffsets() {
    BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    // a continuous run's window of records from offset 5: a batch run committed up to 10 first
    BatchCommitter.Request overlapping =
        new BatchCommitter.Request(
            "p",
            "p@w2",
            CommitFence.fromOffsets("t", Map.of(0, 5L)),
            Offsets.of(Map.of("t", Map.of(0, 15L))),
            SaveMode.APPEND,
            OverwriteMode.DYNAMIC,
            Map.of());
    assertThatThrownBy(() -> BatchCommitter.commit(table, overlapping, List.of(file("w", 10))))
        .isInstanceOf(ConcurrentRunException.class);
    // from offset 10 on it follows what is committed, whoever committed it
    BatchCommitter.Request following =
        new BatchCommitter.Request(
            "p",
            "p@w3",
            CommitFence.fromOffsets("t", Map.of(0, 10L)),
            Offsets.of(Map.of("t", Map.of(0, 15L))),
            SaveMode.APPEND,
            OverwriteMode.DYNAMIC,
            Map.of());
    assertThat(BatchCommitter.commit(table, following, List.of(file("x", 5))).summary())
        .containsEntry("floe.batch-id", "p@w3");
  }

  @Test
  void aSecondRunFromTheSameOffsetsCommitsNothing() {
    BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    assertThatThrownBy(
            () -> BatchCommitter.commit(table, request("b2", null, 10), List.of(file("b", 10))))
        .isInstanceOf(ConcurrentRunException.class)
        .hasMessage(
            "another run of pipeline p committed offsets {\"t\":{\"0\":10}} to"
                + " hadoop.ns.t first (batch b1); nothing was committed by this run. Run again to"
                + " read from there.");
    table.refresh();
    assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "10");
  }

  @Test
  void theCheckRunsAgainWhenIcebergRetriesAfterAConflict() {
    BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    // this run's table misses one refresh, so its own check passes on stale metadata while
    // another run has committed b2; Iceberg's commit then conflicts and retries, and the
    // ancestry validator must stop the retry
    TableOperations ops = ((HasTableOperations) table).operations();
    Table stale = new BaseTable(new SkipsOneRefresh(ops), "stale");
    stale.currentSnapshot();
    BatchCommitter.commit(table, request("b2", "b1", 20), List.of(file("b", 10)));
    assertThatThrownBy(
            () -> BatchCommitter.commit(stale, request("b3", "b1", 20), List.of(file("c", 10))))
        .isInstanceOf(ConcurrentRunException.class);
    assertThat(((SkipsOneRefresh) ((BaseTable) stale).operations()).skipped).isTrue();
    table.refresh();
    assertThat(Committed.of(table, "p").batchId()).isEqualTo("b2");
    assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "20");
  }

  /** Table operations that pass everything to another's; tests override what they bend. */
  private abstract static class Delegating implements TableOperations {
    final TableOperations delegate;

    Delegating(TableOperations delegate) {
      this.delegate = delegate;
    }

    @Override
    public TableMetadata current() {
      return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
      return delegate.refresh();
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      delegate.commit(base, metadata);
    }

    @Override
    public FileIO io() {
      return delegate.io();
    }

    @Override
    public String metadataFileLocation(String fileName) {
      return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
      return delegate.locationProvider();
    }
  }

  /** Table operations that answer the first refresh with the metadata they already have. */
  private static final class SkipsOneRefresh extends Delegating {
    private TableMetadata pinned;
    boolean skipped;

    SkipsOneRefresh(TableOperations delegate) {
      super(delegate);
      this.pinned = delegate.current();
    }

    @Override
    public TableMetadata current() {
      return pinned != null ? pinned : delegate.current();
    }

    @Override
    public TableMetadata refresh() {
      if (!skipped) {
        skipped = true;
        return pinned;
      }
      pinned = null;
      return delegate.refresh();
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      pinned = null;
      delegate.commit(base, metadata);
    }
  }

  /** Table operations whose commits land but report that their outcome is unknown. */
  private static final class UnknownOutcome extends Delegating {
    private final boolean land;

    UnknownOutcome(TableOperations delegate, boolean land) {
      super(delegate);
      this.land = land;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      if (land) {
        delegate.commit(base, metadata);
      }
      throw new CommitStateUnknownException(new RuntimeException("the catalog timed out"));
    }
  }

  @Test
  void anUnknownCommitStateIsResolvedByLookingForTheBatch() {
    TableOperations ops = ((HasTableOperations) table).operations();
    Table landed = new BaseTable(new UnknownOutcome(ops, true), "t");
    Snapshot s = BatchCommitter.commit(landed, request("b1", null, 10), List.of(file("a", 10)));
    assertThat(s.summary()).containsEntry("floe.batch-id", "b1");

    Table lost = new BaseTable(new UnknownOutcome(ops, false), "t");
    assertThatThrownBy(
            () -> BatchCommitter.commit(lost, request("b2", "b1", 20), List.of(file("b", 10))))
        .hasMessage(
            "the catalog did not confirm the commit of batch b2 and the table does not"
                + " hold it: nothing was committed; run again");
    table.refresh();
    assertThat(Committed.of(table, "p").batchId()).isEqualTo("b1");
  }

  @Test
  void aRetriedCommitOfTheSameBatchIsANoOp() {
    Snapshot first = BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    Snapshot again = BatchCommitter.commit(table, request("b1", null, 10), List.of(file("a", 10)));
    assertThat(again.snapshotId()).isEqualTo(first.snapshotId());
  }
}
