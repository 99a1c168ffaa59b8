package dev.floe.transform;

import dev.floe.config.StepConfig.FunctionConfig;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A pipeline's steps in order, as planned ({@link StepsPlan}): each step's SQL sees the input and
 * every earlier step by name, and its functions then run on its result. Returns the rows of the
 * step the sink writes and every step's dead letters.
 */
public final class ApplySteps extends PTransform<PCollection<Row>, RowsWithDeadLetters> {
  private final StepsPlan plan;
  private final BatchTag batch;
  private final String topic;

  /**
   * @param topic the topic dead letters name when a SQL step does not keep {@code _kafka_topic}
   */
  public ApplySteps(StepsPlan plan, BatchTag batch, String topic) {
    this.plan = plan;
    this.batch = batch;
    this.topic = topic;
  }

  @Override
  public RowsWithDeadLetters expand(PCollection<Row> input) {
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>(plan.inputName()), input);
    List<PCollection<Row>> deadLetters = new ArrayList<>();
    for (StepsPlan.Step step : plan.steps()) {
      RowsWithDeadLetters result =
          tables.apply("Step " + step.name(), new SqlStep(step.sql(), batch, step.name(), topic));
      deadLetters.add(result.deadLetters());
      for (FunctionConfig f : step.functions()) {
        result =
            result
                .rows()
                .apply(step.name() + " " + f.name(), new SetType(f.columns(), batch, step.name()));
        deadLetters.add(result.deadLetters());
      }
      tables = tables.and(new TupleTag<>(step.name()), result.rows());
    }
    PCollection<Row> rows = tables.get(new TupleTag<Row>(plan.sinkStep()));
    return RowsWithDeadLetters.of(
        rows, RowsWithDeadLetters.allDeadLetters("Steps' dead letters", input, deadLetters));
  }
}
