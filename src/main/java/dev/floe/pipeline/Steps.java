package dev.floe.pipeline;

import dev.floe.spec.PipelineSpec;
import dev.floe.spec.SpecException;
import dev.floe.spec.SpecProblem;
import dev.floe.spec.StepSpec;
import dev.floe.spec.StepSpec.FunctionSpec;
import dev.floe.transform.DeadLetters.BatchTag;
import dev.floe.transform.RowStep;
import dev.floe.transform.SetType;
import dev.floe.transform.SqlStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Applies a pipeline's steps in order. Each step's SQL sees the input and every earlier step by
 * name; its functions then run on its result.
 *
 * @param output the rows of the step the sink writes
 * @param deadLetters rows that a function could not process, one collection per function
 * @param schemas each step's output schema, for explain
 * @param sql each step's statement as Beam SQL runs it
 * @param projections the steps whose statement only passes columns through: they run without
 *     Beam SQL
 * @param rowSteps every step as a function of one row, in order, when each statement is a
 *     projection of the step before it (the first: of the input) and the sink writes the last
 *     step; null otherwise
 */
public record Steps(
    PCollection<Row> output,
    List<PCollection<Row>> deadLetters,
    Map<String, Schema> schemas,
    Map<String, String> sql,
    java.util.Set<String> projections,
    List<RowStep> rowSteps) {

  static Steps apply(PCollection<Row> input, PipelineSpec spec, BatchTag batch) {
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>(spec.input().name()), input);
    List<PCollection<Row>> dead = new ArrayList<>();
    Map<String, Schema> schemas = new LinkedHashMap<>();
    Map<String, String> sql = new LinkedHashMap<>();
    java.util.Set<String> projections = new java.util.HashSet<>();
    List<RowStep> chain = new ArrayList<>();
    String previous = spec.input().name();
    for (StepSpec step : spec.steps()) {
      PCollection<Row> rows;
      try {
        sql.put(step.name(), SqlStep.effectiveSql(step.sql(), tables));
        if (SqlStep.isProjection(step.sql(), tables)) {
          projections.add(step.name());
        }
        SqlStep sqlStep = new SqlStep(step.sql(), batch, step.name(), spec.input().topic());
        rows = tables.apply("Step " + step.name(), sqlStep);
        dead.addAll(sqlStep.deadLetters());
        if (chain != null && sqlStep.rowStep() != null
            && sqlStep.reads().equalsIgnoreCase(previous)) {
          chain.add(sqlStep.rowStep());
        } else {
          chain = null;
        }
      } catch (RuntimeException e) {
        throw problem(spec, step.line(), "steps.sequence." + step.name() + ".sql",
            "the SQL does not run: " + rootMessage(e));
      }
      for (FunctionSpec f : step.functions()) {
        try {
          SetType setType = new SetType(f.columns(), batch, step.name());
          if (chain != null) {
            chain.add(setType.rowStep(rows.getSchema()));
          }
          PCollectionTuple typed = rows.apply(step.name() + " " + f.name(), setType);
          rows = typed.get(SetType.ROWS);
          dead.add(typed.get(dev.floe.transform.DeadLetters.TAG));
        } catch (IllegalArgumentException e) {
          throw problem(spec, f.line(), "steps.sequence." + step.name() + ".functions",
              e.getMessage());
        }
      }
      schemas.put(step.name(), rows.getSchema());
      tables = tables.and(new TupleTag<>(step.name()), rows);
      previous = step.name();
    }
    if (!spec.sink().sequenceName().equalsIgnoreCase(previous)) {
      chain = null;
    }
    return new Steps(
        tables.get(new TupleTag<Row>(spec.sink().sequenceName())), dead, schemas, sql,
        projections, chain == null ? null : List.copyOf(chain));
  }

  private static SpecException problem(PipelineSpec spec, int line, String key, String message) {
    return new SpecException(List.of(new SpecProblem(spec.source(), line, key, message)));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }
}
