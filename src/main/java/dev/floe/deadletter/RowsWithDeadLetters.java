package dev.floe.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a step that can fail per record returns: the rows it made, and the records it could not
 * process as dead letters (rows of {@link DeadLetters#SCHEMA}). Decoding, SQL steps, set_type and
 * the steps as a whole return one, as Beam's IOs return their {@code WriteResult}.
 */
public final class RowsWithDeadLetters implements POutput {
  private static final TupleTag<?> ROWS = new TupleTag<>("rows");
  private static final TupleTag<?> DEAD_LETTERS = new TupleTag<>("dead-letters");

  private final PCollection<Row> rows;
  private final PCollection<Row> deadLetters;

  private RowsWithDeadLetters(PCollection<Row> rows, PCollection<Row> deadLetters) {
    this.rows = rows;
    this.deadLetters = deadLetters;
  }

  public static RowsWithDeadLetters of(PCollection<Row> rows, PCollection<Row> deadLetters) {
    return new RowsWithDeadLetters(rows, deadLetters);
  }

  public PCollection<Row> rows() {
    return rows;
  }

  public PCollection<Row> deadLetters() {
    return deadLetters;
  }

  /**
   * The dead letters of several results as one collection, named {@code name} in the graph; none,
   * windowed as {@code windowedAs}, when there are no parts.
   */
  public static PCollection<Row> allDeadLetters(
      String name, PCollection<?> windowedAs, List<PCollection<Row>> parts) {
    if (parts.isEmpty()) {
      return none(name, windowedAs);
    }
    return PCollectionList.of(parts)
        .apply(name, Flatten.pCollections())
        .setRowSchema(DeadLetters.SCHEMA);
  }

  /**
   * No dead letters, for a step that makes none, windowed as {@code windowedAs}: collections are
   * flattened only with others of the same windows (a continuous run's are fixed windows).
   */
  public static PCollection<Row> none(String name, PCollection<?> windowedAs) {
    PCollection<Row> empty =
        windowedAs
            .getPipeline()
            .apply(name, Create.empty(RowCoder.of(DeadLetters.SCHEMA)))
            .setRowSchema(DeadLetters.SCHEMA);
    empty.setWindowingStrategyInternal(windowedAs.getWindowingStrategy());
    return empty;
  }

  @Override
  public Pipeline getPipeline() {
    return rows.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(ROWS, rows, DEAD_LETTERS, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
