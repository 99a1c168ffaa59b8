package dev.floe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

class DeclinedWhileClosingTest {
  private static final String WARNING =
      "Failed to trigger or complete checkpoint 23 for job b68159. (0 consecutive failed attempts"
          + " so far)";

  private static LogEvent warning(Throwable thrown) {
    return Log4jLogEvent.newBuilder()
        .setLoggerName(DeclinedWhileClosing.LOGGER)
        .setLevel(Level.WARN)
        .setMessage(new SimpleMessage(WARNING))
        .setThrown(thrown)
        .build();
  }

  @Test
  void aCheckpointTheJobsEndCutShortIsLeftOut() {
    Filter installed = installedFilter();
    assertThat(
            installed.filter(
                warning(new IllegalStateException("Checkpoint was declined (task is closing)"))))
        .isEqualTo(Filter.Result.DENY);
    // Flink wraps the task's reason in the coordinator's exception
    assertThat(
            installed.filter(
                warning(
                    new IllegalStateException(
                        "declined",
                        new IllegalStateException("Checkpoint was declined (task is closing)")))))
        .isEqualTo(Filter.Result.DENY);
    // the job finished while a checkpoint was pending
    assertThat(
            installed.filter(
                warning(new IllegalStateException("Checkpoint Coordinator is suspending."))))
        .isEqualTo(Filter.Result.DENY);
  }

  @Test
  void everyOtherCheckpointFailureStays() {
    Filter installed = installedFilter();
    assertThat(installed.filter(warning(new IllegalStateException("Checkpoint expired"))))
        .isEqualTo(Filter.Result.NEUTRAL);
    assertThat(installed.filter(warning(null))).isEqualTo(Filter.Result.NEUTRAL);
  }

  /** The filter on Flink's logger after Floe set up its logs (twice, as two runs in one JVM do). */
  private static Filter installedFilter() {
    PipelineArgs.applyLogLevel("INFO");
    PipelineArgs.applyLogLevel("INFO");
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Filter filter =
        context.getConfiguration().getLoggerConfig(DeclinedWhileClosing.LOGGER).getFilter();
    assertThat(filter).isInstanceOf(DeclinedWhileClosing.class);
    return filter;
  }
}
