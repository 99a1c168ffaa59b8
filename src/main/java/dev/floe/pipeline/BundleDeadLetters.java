package dev.floe.pipeline;

import dev.floe.commit.NotYetCommitted;
import dev.floe.deadletter.DeadLetterCounts;
import dev.floe.deadletter.DeadLetters;
import dev.floe.write.TableTarget;
import dev.floe.write.WriteDataFiles.TableWriter;
import dev.floe.write.WrittenFiles;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;

/**
 * The dead letters of one bundle, written where they are made (by the function that decodes and
 * runs the steps) rather than sent on as a collection of their own: dead letters are few, and a
 * runner then keeps no second collection beside the rows. Their counts by kind travel with the
 * files ({@link WrittenFiles#deadLetters}) to the commit.
 */
final class BundleDeadLetters implements Consumer<Row>, Serializable {
  private final TableTarget table;
  private final String batchId;
  private final NotYetCommitted newDeadLetter;
  private transient TableWriter writer;
  private transient DeadLetterCounts.Tally tally;

  /**
   * @param newDeadLetter drops dead letters an earlier attempt already committed
   */
  BundleDeadLetters(TableTarget table, String batchId, NotYetCommitted newDeadLetter) {
    this.table = table;
    this.batchId = batchId;
    this.newDeadLetter = newDeadLetter;
  }

  /** Opens nothing yet: files open at the first dead letter. */
  void startBundle() {
    if (writer == null) {
      writer = new TableWriter(table, batchId, DeadLetters.SCHEMA);
    }
    writer.reset();
    tally = new DeadLetterCounts.Tally();
  }

  @Override
  public void accept(Row deadLetter) {
    if (newDeadLetter.apply(deadLetter)) {
      tally.add(deadLetter);
      writer.write(deadLetter);
    }
  }

  /** The bundle's dead-letter files and counts; null when it had none. */
  WrittenFiles finish() {
    return writer.finish(tally);
  }
}
