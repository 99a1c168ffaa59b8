package dev.floe.cli;

import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves out the warning, with a stack trace of some sixty lines, that Flink logs for a checkpoint
 * it could not finish because the job was ending: declined by tasks that were closing, or aborted
 * when the job finished. A continuous run on Flink ends one of these ways at every stop (SIGTERM,
 * Ctrl-C, maxReadTime) after its windows were committed, and a failure that ends the job is
 * reported on its own. log4j2.xml names the logger; its filters see a message but not the
 * exception, so this one is added here.
 */
final class DeclinedWhileClosing extends AbstractFilter {
  static final String LOGGER = "org.apache.flink.runtime.checkpoint.CheckpointFailureManager";
  private static final Logger LOG = LoggerFactory.getLogger(DeclinedWhileClosing.class);

  /** Flink's reasons for a checkpoint the job's end cut short, in the exception it logs. */
  static final List<String> REASONS =
      List.of("task is closing", "Checkpoint Coordinator is suspending");

  private DeclinedWhileClosing() {}

  /** Adds the filter to Flink's checkpoint failure logger, once per process. */
  static synchronized void install() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    LoggerConfig logger = context.getConfiguration().getLoggerConfig(LOGGER);
    if (!logger.getName().equals(LOGGER)) {
      // without its own entry in log4j2.xml the filter would land on the root logger
      LOG.debug("no logger {} configured; its warnings stay as Flink logs them", LOGGER);
      return;
    }
    if (logger.getFilter() instanceof DeclinedWhileClosing) {
      return;
    }
    logger.addFilter(new DeclinedWhileClosing());
    context.updateLoggers();
  }

  @Override
  public Result filter(LogEvent event) {
    for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && REASONS.stream().anyMatch(message::contains)) {
        return Result.DENY;
      }
    }
    return Result.NEUTRAL;
  }
}
