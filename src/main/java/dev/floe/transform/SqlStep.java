package dev.floe.transform;

import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A {@code sql} step: one Beam SQL statement over the named inputs (the pipeline's input and the
 * earlier steps), with reserved column names quoted first (see {@link SqlQuoting}). A row the
 * statement fails on (a cast of 'abc' to INTEGER, a division by zero: what Beam SQL's generated
 * code throws for one row) becomes a {@code SQL_FAILED} dead letter instead of failing the batch. A
 * statement that only selects and renames columns ({@code SELECT *, time AS _timestamp FROM t})
 * runs as a {@link Projection}: the same output, without Beam SQL's per-row code.
 */
public final class SqlStep extends PTransform<PCollectionTuple, RowsWithDeadLetters> {
  private final Planned planned;
  private final BatchTag batch;
  private final String stage;
  private final String topic;

  /**
   * A statement as it runs: quoted for Beam SQL, as a projection when it is one, its output schema,
   * and whether it groups rows into event-time windows of its own (TUMBLE, HOP, SESSION).
   *
   * @param projection null when Beam SQL runs the statement
   */
  public record Planned(
      String statement, Projection projection, Schema output, boolean assignsWindows)
      implements Serializable {
    /** Plans {@code sql} over {@code tables} (name to schema); throws what Beam SQL throws. */
    public static Planned of(String sql, Map<String, Schema> tables) {
      String statement = effectiveSql(sql, tables);
      Projection projection = Projection.of(statement, tables);
      if (projection != null) {
        return new Planned(statement, projection, projection.schema(), false);
      }
      SqlSchemas.Planned planned = SqlSchemas.of(statement, tables);
      return new Planned(statement, null, planned.output(), planned.assignsWindows());
    }

    /** Whether the statement runs as a projection, without Beam SQL. */
    public boolean isProjection() {
      return projection != null;
    }
  }

  /**
   * A step whose failed rows are dead letters of {@code batch}, from stage {@code stage}, read from
   * {@code topic}. Beam SQL hands back only the columns the statement reads: a dead letter has its
   * partition and offset when the statement uses {@code _kafka_partition} and {@code _kafka_offset}
   * (as {@code SELECT *} does).
   */
  public SqlStep(Planned planned, BatchTag batch, String stage, String topic) {
    this.planned = planned;
    this.batch = batch;
    this.stage = stage;
    this.topic = topic;
  }

  /** The statement Beam SQL runs for {@code sql} over {@code tables}: what explain shows. */
  public static String effectiveSql(String sql, Map<String, Schema> tables) {
    Set<String> columns = new HashSet<>();
    tables.values().forEach(schema -> columns.addAll(schema.getFieldNames()));
    return SqlQuoting.quoteReservedColumns(sql, columns);
  }

  /**
   * False when {@code sql} cannot be a projection whatever its inputs are (a WHERE, an expression),
   * so Beam SQL runs it; checks the form only, without planning.
   */
  public static boolean mayBeProjection(String sql) {
    return Projection.hasTheForm(sql);
  }

  @Override
  public RowsWithDeadLetters expand(PCollectionTuple tables) {
    if (planned.isProjection()) {
      PCollection<Row> rows =
          planned.projection().apply(read(tables, planned.projection().table()));
      return RowsWithDeadLetters.of(rows, RowsWithDeadLetters.none("No dead letters", rows));
    }
    // Beam SQL applies the errors transformer once per part of the statement that can fail, and
    // does not return what it made: it is collected here, while the statement is applied
    List<PCollection<Row>> failed = new ArrayList<>();
    PCollection<Row> rows =
        tables.apply(
            "Beam SQL",
            SqlTransform.query(planned.statement()).withErrorsTransformer(new FailedRows(failed)));
    return RowsWithDeadLetters.of(
        rows, RowsWithDeadLetters.allDeadLetters("SQL dead letters", rows, failed));
  }

  @SuppressWarnings("unchecked")
  private static PCollection<Row> read(PCollectionTuple tables, String name) {
    for (Map.Entry<TupleTag<?>, ?> e : tables.getAll().entrySet()) {
      if (e.getKey().getId().equalsIgnoreCase(name)) {
        return (PCollection<Row>) e.getValue();
      }
    }
    throw new IllegalArgumentException("no table " + name + " in " + tables.getAll().keySet());
  }

  /** Beam SQL's failed rows ({@code row}: the input row, {@code error}) as dead letters. */
  private final class FailedRows extends PTransform<PCollection<Row>, PCollection<Row>> {
    private final transient List<PCollection<Row>> collected;

    FailedRows(List<PCollection<Row>> collected) {
      this.collected = collected;
    }

    @Override
    public PCollection<Row> expand(PCollection<Row> errors) {
      PCollection<Row> dead =
          errors
              .apply("As dead letters", ParDo.of(new ToDeadLetter(batch, stage, topic)))
              .setRowSchema(DeadLetters.SCHEMA);
      collected.add(dead);
      return dead;
    }
  }

  private static final class ToDeadLetter extends DoFn<Row, Row> {
    private final BatchTag batch;
    private final String stage;
    private final String topic;

    ToDeadLetter(BatchTag batch, String stage, String topic) {
      this.batch = batch;
      this.stage = stage;
      this.topic = topic;
    }

    @ProcessElement
    public void process(@Element Row error, OutputReceiver<Row> out) {
      Row dead =
          DeadLetters.ofRow(
              batch,
              error.getRow("row"),
              DeadLetters.Kind.SQL_FAILED,
              error.getString("error"),
              stage);
      out.output(
          dead.getString("topic") != null
              ? dead
              : Row.fromRow(dead).withFieldValue("topic", topic).build());
    }
  }
}
