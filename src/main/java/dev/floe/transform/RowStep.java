package dev.floe.transform;

import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;

/**
 * One step's work on one row, as a plain function: a projection, or a function such as {@code
 * set_type}. The step's ParDo calls it; so does a writer that runs a pipeline's steps itself
 * ({@code Steps#rowSteps}).
 */
public interface RowStep extends Serializable {
  /**
   * {@code row} after this step, or null when the row became a dead letter, which is handed to
   * {@code deadLetters}.
   */
  Row apply(Row row, Consumer<Row> deadLetters);
}
