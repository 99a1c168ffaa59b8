package dev.floe.errors;

/** Another run of the same pipeline committed first; this run committed nothing (exit code 3). */
public class ConcurrentRunException extends RuntimeException {
  public ConcurrentRunException(String message) {
    super(message);
  }
}
