package dev.floe.commit;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * What one window of a continuous run committed, as the per-window line shows it.
 *
 * @param records Kafka records the window read
 * @param rows rows added to the target table
 * @param deadLetters dead letters added to the dead-letter table
 * @param commitMillis how long the window's commits took
 * @param freshnessMillis the commit's time minus the oldest Kafka timestamp of the window; -1 when
 *     it read nothing
 */
public record WindowCommitted(
    String window,
    long records,
    long rows,
    long deadLetters,
    long commitMillis,
    long freshnessMillis)
    implements Serializable {

  /**
   * Counts each committed window into Beam metrics, which a Flink job shows among its operator
   * metrics and accumulators. It runs after a shuffle: on Flink the committer runs when a
   * checkpoint completes, outside the work where Beam's metrics can be updated.
   */
  static final class CountIntoMetrics extends DoFn<WindowCommitted, WindowCommitted> {
    private static final Counter WINDOWS = Metrics.counter("floe", "windows_committed");
    private static final Counter RECORDS = Metrics.counter("floe", "records_committed");
    private static final Counter ROWS = Metrics.counter("floe", "rows_committed");
    private static final Counter DEAD_LETTERS = Metrics.counter("floe", "dead_letters_committed");
    private static final Distribution COMMIT_MILLIS = Metrics.distribution("floe", "commit_millis");
    private static final Distribution FRESHNESS_MILLIS =
        Metrics.distribution("floe", "window_freshness_millis");

    @ProcessElement
    public void process(@Element WindowCommitted w, OutputReceiver<WindowCommitted> out) {
      WINDOWS.inc();
      RECORDS.inc(w.records());
      ROWS.inc(w.rows());
      DEAD_LETTERS.inc(w.deadLetters());
      COMMIT_MILLIS.update(w.commitMillis());
      if (w.freshnessMillis() >= 0) {
        FRESHNESS_MILLIS.update(w.freshnessMillis());
      }
      out.output(w);
    }
  }
}
