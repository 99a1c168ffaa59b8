package dev.floe.transform;

import dev.floe.transform.DeadLetters.BatchTag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;

/**
 * A {@code sql} step: one Beam SQL statement over the named inputs (the pipeline's input and the
 * earlier steps), with reserved column names quoted first (see {@link SqlQuoting}). A row the
 * statement fails on (a cast of 'abc' to INTEGER, a division by zero: what Beam SQL's generated
 * code throws for one row) becomes a {@code SQL_FAILED} dead letter instead of failing the batch.
 * A statement that only selects and renames columns ({@code SELECT *, time AS _timestamp FROM t})
 * runs as a {@link Projection}: the same output, without Beam SQL's per-row code.
 */
public final class SqlStep extends PTransform<PCollectionTuple, PCollection<Row>> {
  private final String sql;
  private final BatchTag batch;
  private final String stage;
  private final String topic;
  private final List<PCollection<Row>> deadLetters = new ArrayList<>();
  private transient Projection projection;

  /**
   * A step whose failed rows are dead letters of {@code batch}, from stage {@code stage}, read
   * from {@code topic}. Beam SQL hands back only the columns the statement reads: a dead letter has
   * its partition and offset when the statement uses {@code _kafka_partition} and {@code
   * _kafka_offset} (as {@code SELECT *} does).
   */
  public SqlStep(String sql, BatchTag batch, String stage, String topic) {
    this.sql = sql;
    this.batch = batch;
    this.stage = stage;
    this.topic = topic;
  }

  /** The rows the statement failed on, as dead letters; filled when the step is applied. */
  public List<PCollection<Row>> deadLetters() {
    return deadLetters;
  }

  /** The statement Beam SQL runs for {@code sql} over {@code tables}: what explain shows. */
  public static String effectiveSql(String sql, PCollectionTuple tables) {
    Set<String> columns = new HashSet<>();
    for (PValue value : tables.expand().values()) {
      Schema schema = ((PCollection<?>) value).getSchema();
      schema.getFieldNames().forEach(columns::add);
    }
    return SqlQuoting.quoteReservedColumns(sql, columns);
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple tables) {
    String statement = effectiveSql(sql, tables);
    projection = Projection.of(statement, tables);
    if (projection != null) {
      return projection.apply(tables);
    }
    return tables.apply("Beam SQL", SqlTransform.query(statement)
        .withErrorsTransformer(new FailedRows()));
  }

  /**
   * The step as a function of one row of the table it reads, when it ran as a projection; null
   * when Beam SQL runs it (or before it is applied).
   */
  public RowStep rowStep() {
    return projection == null ? null : projection.rowStep();
  }

  /** The table a projection reads (the input or an earlier step); null when Beam SQL runs it. */
  public String reads() {
    return projection == null ? null : projection.table();
  }

  /**
   * False when {@code sql} cannot be a projection whatever its inputs are (a WHERE, an
   * expression), so Beam SQL runs it; checks the form only, without planning.
   */
  public static boolean mayBeProjection(String sql) {
    return Projection.hasTheForm(sql);
  }

  /** Whether Floe runs {@code sql} over {@code tables} as a plain projection, without Beam SQL. */
  public static boolean isProjection(String sql, PCollectionTuple tables) {
    return Projection.of(effectiveSql(sql, tables), tables) != null;
  }

  /** Beam SQL's failed rows ({@code row}: the input row, {@code error}) as dead letters. */
  private final class FailedRows extends PTransform<PCollection<Row>, PCollection<Row>> {
    @Override
    public PCollection<Row> expand(PCollection<Row> errors) {
      PCollection<Row> dead = errors
          .apply("As dead letters", ParDo.of(new ToDeadLetter(batch, stage, topic)))
          .setRowSchema(DeadLetters.SCHEMA);
      deadLetters.add(dead);
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
      Row dead = DeadLetters.ofRow(batch, error.getRow("row"), DeadLetters.Kind.SQL_FAILED,
          error.getString("error"), stage);
      out.output(dead.getString("topic") != null ? dead
          : Row.fromRow(dead).withFieldValue("topic", topic).build());
    }
  }
}
