package dev.floe.errors;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Walks down an exception's cause chain. Runners and libraries wrap the failure that matters (a
 * Floe message, a refused connection) in several layers of their own, so every place that explains
 * a failure to a user looks through the chain, and does it here.
 */
public final class Causes {
  private Causes() {}

  /** The first throwable in {@code e}'s chain that is a {@code type}, or null. */
  public static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The first throwable in the chain whose class has this simple name, or null: for a runner's
   * exceptions, which Floe does not import.
   */
  public static Throwable named(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return t;
      }
    }
    return null;
  }

  /** The innermost throwable of the chain. */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (next(t) != null) {
      t = next(t);
    }
    return t;
  }

  /** The innermost throwable of the chain that has a message, or {@code e} when none has. */
  public static Throwable innermostWithMessage(Throwable e) {
    Throwable found = e;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        found = t;
      }
    }
    return found;
  }

  /** The innermost message of the chain; {@code e.toString()} when no throwable has one. */
  public static String innermostMessage(Throwable e) {
    Throwable t = innermostWithMessage(e);
    return t.getMessage() == null || t.getMessage().isBlank() ? e.toString() : t.getMessage();
  }

  /** The network failure (refused, unknown host, timed out, no route) behind {@code e}, or null. */
  public static Throwable network(Throwable e) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof NoRouteToHostException) {
        return t;
      }
    }
    return null;
  }

  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }
}
