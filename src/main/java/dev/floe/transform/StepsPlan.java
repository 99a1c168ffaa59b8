package dev.floe.transform;

import dev.floe.config.ConfigException;
import dev.floe.config.ConfigProblem;
import dev.floe.config.PipelineConfig;
import dev.floe.config.StepConfig;
import dev.floe.config.StepConfig.FunctionConfig;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.errors.Causes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline's steps planned from its input's schema, before any graph is built: each statement as
 * it runs, whether it is a projection, and each step's output schema. Beam SQL plans a statement
 * only when its output is not known otherwise (once per JVM). A statement Beam SQL rejects, or a
 * function that does not fit its step's output, is a configuration error naming the step's line.
 */
public final class StepsPlan implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(StepsPlan.class);

  /** One step as it runs: its statement, then its functions. */
  public record Step(
      String name, SqlStep.Planned sql, List<FunctionConfig> functions, Schema output)
      implements Serializable {}

  private final String inputName;
  private final Schema inputSchema;
  private final String sinkStep;
  private final List<Step> steps;
  private final boolean chained;

  private StepsPlan(
      String inputName, Schema inputSchema, String sinkStep, List<Step> steps, boolean chained) {
    this.inputName = inputName;
    this.inputSchema = inputSchema;
    this.sinkStep = sinkStep;
    this.steps = steps;
    this.chained = chained;
  }

  /** Plans {@code config}'s steps over an input of {@code inputSchema}. */
  public static StepsPlan of(PipelineConfig config, Schema inputSchema) {
    Map<String, Schema> tables = new LinkedHashMap<>();
    tables.put(config.input().name(), inputSchema);
    List<Step> steps = new ArrayList<>();
    // the steps run as one function per row only while each projection reads the step before it
    boolean chained = true;
    String previous = config.input().name();
    for (StepConfig step : config.steps()) {
      SqlStep.Planned sql;
      try {
        sql = SqlStep.Planned.of(step.sql(), tables);
      } catch (RuntimeException e) {
        throw problem(
            config,
            step.line(),
            "steps.sequence." + step.name() + ".sql",
            "the SQL does not run: " + Causes.innermostMessage(e));
      }
      if (sql.assignsWindows() && config.streaming().continuous()) {
        throw problem(
            config,
            step.line(),
            "steps.sequence." + step.name() + ".sql",
            "TUMBLE, HOP and SESSION group rows by event time, which a continuous run cannot do"
                + " window by window (its windows are triggerDuration of processing time; rows"
                + " of event-time windows already closed would be dropped as late). A GROUP BY"
                + " without them aggregates the rows of each window; to bucket them by event"
                + " time, group by FLOOR(<a timestamp column> TO MINUTE) (or HOUR, DAY), e.g."
                + " GROUP BY source, FLOOR(_kafka_timestamp TO MINUTE)");
      }
      chained &= sql.isProjection() && sql.projection().table().equalsIgnoreCase(previous);
      Schema out = sql.output();
      for (FunctionConfig f : step.functions()) {
        try {
          out = SetType.outputSchema(out, f.columns());
        } catch (IllegalArgumentException e) {
          throw problem(
              config, f.line(), "steps.sequence." + step.name() + ".functions", e.getMessage());
        }
      }
      LOG.debug(
          "step {}: {} ({})",
          step.name(),
          sql.statement(),
          sql.isProjection() ? "a projection" : "Beam SQL");
      steps.add(new Step(step.name(), sql, step.functions(), out));
      tables.put(step.name(), out);
      previous = step.name();
    }
    String sinkStep = config.sink().sequenceName();
    chained &= sinkStep.equalsIgnoreCase(previous);
    return new StepsPlan(config.input().name(), inputSchema, sinkStep, List.copyOf(steps), chained);
  }

  private static ConfigException problem(
      PipelineConfig config, int line, String key, String message) {
    return new ConfigException(List.of(new ConfigProblem(config.source(), line, key, message)));
  }

  public String inputName() {
    return inputName;
  }

  public Schema inputSchema() {
    return inputSchema;
  }

  public List<Step> steps() {
    return steps;
  }

  /** The step whose rows the sink writes. */
  public String sinkStep() {
    return sinkStep;
  }

  /** The schema of the rows the sink writes. */
  public Schema outputSchema() {
    return steps.stream()
        .filter(s -> s.name().equalsIgnoreCase(sinkStep))
        .findFirst()
        .orElseThrow()
        .output();
  }

  /**
   * Whether every step can run as one function of a row: each statement a projection of the step
   * before it (the first: of the input), and the sink writes the last step.
   */
  public boolean runsAsOneFunction() {
    return chained;
  }

  /**
   * Every step as a function of one row, in order, their dead letters tagged with {@code batch};
   * only when {@link #runsAsOneFunction()}.
   */
  public List<RowStep> rowSteps(BatchTag batch) {
    if (!chained) {
      throw new IllegalStateException("the steps do not run as one function of a row");
    }
    List<RowStep> chain = new ArrayList<>();
    for (Step step : steps) {
      chain.add(step.sql().projection().rowStep());
      Schema in = step.sql().output();
      for (FunctionConfig f : step.functions()) {
        SetType setType = new SetType(f.columns(), batch, step.name());
        chain.add(setType.rowStep(in));
        in = SetType.outputSchema(in, f.columns());
      }
    }
    return List.copyOf(chain);
  }
}
