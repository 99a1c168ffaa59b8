package dev.floe.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named points of a batch where a test can break a run, to prove that a failure there loses and
 * duplicates nothing. Off unless a system property names the point:
 *
 * <ul>
 *   <li>{@code floe.test.halt-at=<point>} halts the JVM with {@link Runtime#halt}, as abrupt as
 *       SIGKILL (no shutdown hooks, no finally blocks);
 *   <li>{@code floe.test.fail-once-at=<point>:<marker file>} throws from the first attempt that
 *       reaches the point (the one that creates the marker file), as a failed task does; the
 *       runner's retry, or the next run, passes.
 * </ul>
 */
public final class FaultPoints {
  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String BEFORE_COMMIT = "before-commit";
  public static final String AFTER_COMMIT = "after-commit";
  private static final String HALT_AT = System.getProperty("floe.test.halt-at");
  private static final String FAIL_ONCE_AT = System.getProperty("floe.test.fail-once-at");

  private FaultPoints() {}

  public static void reached(String point) {
    if (point.equals(HALT_AT)) {
      System.err.println("floe.test.halt-at: halting at " + point);
      Runtime.getRuntime().halt(137);
    }
    if (FAIL_ONCE_AT != null && FAIL_ONCE_AT.startsWith(point + ":")) {
      try {
        Files.createFile(Path.of(FAIL_ONCE_AT.substring(point.length() + 1)));
      } catch (FileAlreadyExistsException e) {
        return; // failed once already
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new IllegalStateException("floe.test.fail-once-at: failing this attempt at " + point);
    }
  }
}
