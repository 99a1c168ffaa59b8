package dev.floe.transform;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;

/**
 * The schema Beam SQL gives a statement, and whether its plan puts rows into windows of its own
 * ({@code TUMBLE}, {@code HOP}, {@code SESSION}), planned over empty inputs of the tables' schemas.
 * Planning takes Calcite a second or two the first time in a JVM, so each (statement, input
 * schemas) is planned once per JVM: {@code explain} and then every batch of a run, or the demo's
 * two runs, share the plan. A statement Beam SQL rejects is not kept: each caller gets the error.
 */
final class SqlSchemas {
  private static final Map<Map.Entry<String, Map<String, Schema>>, Planned> PLANNED =
      new ConcurrentHashMap<>();

  /** What planning tells: the output schema, and whether the statement assigns windows. */
  record Planned(Schema output, boolean assignsWindows) {}

  private SqlSchemas() {}

  /** Beam SQL's plan of {@code statement}; throws what Beam SQL throws when it rejects it. */
  static Planned of(String statement, Map<String, Schema> tables) {
    Map<String, Schema> key = new TreeMap<>(tables);
    return PLANNED.computeIfAbsent(Map.entry(statement, key), k -> plan(statement, key));
  }

  private static Planned plan(String statement, Map<String, Schema> tables) {
    Pipeline scratch = Pipeline.create();
    PCollectionTuple empty = PCollectionTuple.empty(scratch);
    for (Map.Entry<String, Schema> e : tables.entrySet()) {
      PCollection<Row> none =
          scratch
              .apply("Empty " + e.getKey(), Create.empty(RowCoder.of(e.getValue())))
              .setRowSchema(e.getValue());
      empty = empty.and(e.getKey(), none);
    }
    Schema output = empty.apply(SqlTransform.query(statement)).getSchema();
    AtomicBoolean assignsWindows = new AtomicBoolean();
    scratch.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof Window.Assign) {
              assignsWindows.set(true);
            }
          }
        });
    return new Planned(output, assignsWindows.get());
  }
}
