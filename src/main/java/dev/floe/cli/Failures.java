package dev.floe.cli;

import dev.floe.sink.ConcurrentCommitException;
import dev.floe.sink.RunFailure;
import dev.floe.spec.SpecException;
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
    Throwable cause = find(e, SpecException.class);
    if (cause != null) {
      cmd.getErr().println(cause.getMessage());
      return Main.CONFIG_ERROR;
    }
    cause = find(e, RunFailure.class);
    if (cause != null) {
      cmd.getErr().println("floe: " + cause.getMessage());
      debug(e, cmd);
      return Main.RUN_FAILED;
    }
    cause = find(e, ConcurrentCommitException.class);
    if (cause != null) {
      cmd.getErr().println("floe: " + cause.getMessage());
      return Main.CONCURRENT_RUN;
    }
    cmd.getErr().println("floe: " + describe(e));
    debug(e, cmd);
    return Main.RUN_FAILED;
  }

  private static void debug(Exception e, CommandLine cmd) {
    if (System.getenv("FLOE_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println("(set FLOE_DEBUG=1 for the stack trace)");
    }
  }

  static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /** The innermost message that says something, prefixed by its kind when that helps. */
  static String describe(Throwable e) {
    Throwable t = e;
    String message = null;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        t = c;
        message = c.getMessage();
      }
    }
    if (message == null) {
      return e.toString();
    }
    return t instanceof IllegalStateException || t instanceof IllegalArgumentException
        ? message
        : t.getClass().getSimpleName() + ": " + message;
  }
}
