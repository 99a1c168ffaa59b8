package dev.floe.sink;

/**
 * Named points of a batch where a test can halt the JVM, to prove that a crash there loses and
 * duplicates nothing. Off unless the system property {@code floe.test.halt-at} names the point;
 * the halt is {@link Runtime#halt}, as abrupt as SIGKILL (no shutdown hooks, no finally blocks).
 */
public final class FaultPoints {
  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String BEFORE_COMMIT = "before-commit";
  public static final String AFTER_COMMIT = "after-commit";
  private static final String POINT = System.getProperty("floe.test.halt-at");

  private FaultPoints() {}

  public static void reached(String point) {
    if (point.equals(POINT)) {
      System.err.println("floe.test.halt-at: halting at " + point);
      Runtime.getRuntime().halt(137);
    }
  }
}
