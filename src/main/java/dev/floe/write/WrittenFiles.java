package dev.floe.write;

import dev.floe.deadletter.DeadLetterCounts;
import java.io.Serializable;
import java.util.List;
import org.apache.iceberg.DataFile;

/**
 * Data files one writer wrote for one table of a batch.
 *
 * @param deadLetters the dead letters this writer counted (a writer that also runs the decoding and
 *     the steps); null when the batch counts them elsewhere
 */
public record WrittenFiles(String table, List<DataFile> files, DeadLetterCounts.Tally deadLetters)
    implements Serializable {
  public WrittenFiles(String table, List<DataFile> files) {
    this(table, files, null);
  }
}
