package dev.floe.transform;

import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;

/**
 * A {@code sql} step: one Beam SQL statement over the named inputs (the pipeline's input and the
 * earlier steps), with reserved column names quoted first (see {@link SqlQuoting}).
 */
public final class SqlStep extends PTransform<PCollectionTuple, PCollection<Row>> {
  private final String sql;

  public SqlStep(String sql) {
    this.sql = sql;
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
    return tables.apply("Beam SQL", SqlTransform.query(effectiveSql(sql, tables)));
  }
}
