package dev.floe.cli;

import dev.floe.config.ConfigException;
import dev.floe.config.Secrets;
import dev.floe.errors.Causes;
import dev.floe.errors.ConcurrentRunException;
import dev.floe.errors.RunFailure;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one clear paragraph on stderr and an exit code; a stack trace only with
 * {@code FLOE_DEBUG=1}.
 */
final class Failures implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable cause = Causes.find(e, ConfigException.class);
    if (cause != null) {
      cmd.getErr().println(Secrets.hide(cause.getMessage()));
      return Main.CONFIG_ERROR;
    }
    cause = Causes.find(e, RunFailure.class);
    if (cause != null) {
      cmd.getErr().println("floe: " + Secrets.hide(cause.getMessage()));
      debug(e, cmd);
      return Main.RUN_FAILED;
    }
    cause = Causes.find(e, ConcurrentRunException.class);
    if (cause != null) {
      cmd.getErr().println("floe: " + Secrets.hide(cause.getMessage()));
      return Main.CONCURRENT_RUN;
    }
    cmd.getErr().println("floe: " + Secrets.hide(describe(e)));
    debug(e, cmd);
    return Main.RUN_FAILED;
  }

  private static void debug(Exception e, CommandLine cmd) {
    if (PipelineArgs.debug()) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      cmd.getErr().print(Secrets.hide(trace.toString()));
    } else {
      cmd.getErr().println("(set FLOE_DEBUG=1 for the stack trace)");
    }
  }

  /** The innermost message that says something, prefixed by its kind when that helps. */
  static String describe(Throwable e) {
    Throwable t = Causes.innermostWithMessage(e);
    if (t.getMessage() == null || t.getMessage().isBlank()) {
      return e.toString();
    }
    return t instanceof IllegalStateException || t instanceof IllegalArgumentException
        ? t.getMessage()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
