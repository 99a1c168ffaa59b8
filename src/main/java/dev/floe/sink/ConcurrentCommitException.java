package dev.floe.sink;

/** Another run of the same pipeline committed first; this run committed nothing. */
public class ConcurrentCommitException extends RuntimeException {
  public ConcurrentCommitException(String message) {
    super(message);
  }
}
