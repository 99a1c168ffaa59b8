package dev.floe.errors;

/**
 * A run failed for a reason outside Floe (catalog, warehouse, ...), and the message says which and
 * what to do, in one paragraph. The cause is kept for {@code FLOE_DEBUG=1}; the command line prints
 * this message, not the cause's.
 */
public class RunFailure extends IllegalStateException {
  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
