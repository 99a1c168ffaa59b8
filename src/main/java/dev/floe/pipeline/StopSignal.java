package dev.floe.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a continuous run is asked to stop: the first SIGTERM or SIGINT lets the window under way
 * finish and commit, then the run exits 0; a second one halts at once. A halt commits nothing half:
 * a commit is one Iceberg operation, and the next run continues from the table.
 */
final class StopSignal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
  private static final String[] SIGNALS = {"TERM", "INT"};

  private final CountDownLatch requested = new CountDownLatch(1);
  private final List<Runnable> restore = new ArrayList<>();
  private volatile int received;

  private StopSignal() {}

  /** Takes over SIGTERM and SIGINT until {@link #close}. */
  static StopSignal install(PrintStream out) {
    StopSignal stop = new StopSignal();
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      SignalHandler previous = Signal.handle(signal, s -> stop.received(s, out));
      stop.restore.add(() -> Signal.handle(signal, previous));
    }
    return stop;
  }

  private void received(Signal signal, PrintStream out) {
    if (++received > 1) {
      out.println(
          "second SIG"
              + signal.getName()
              + ": stopping now; the window under way is not"
              + " committed, and the next run reads it again");
      out.flush();
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    out.println(
        "SIG"
            + signal.getName()
            + ": committing the window under way, then stopping"
            + " (send it again to stop at once)");
    LOG.info("SIG{} received: stopping after the window under way", signal.getName());
    requested.countDown();
  }

  /** Runs {@code action} when a stop is requested (on the signal's thread). */
  void whenRequested(Runnable action) {
    Thread waiter =
        new Thread(
            () -> {
              try {
                requested.await();
                action.run();
              } catch (InterruptedException e) {
                // the run ended without a stop request
              }
            },
            "floe-stop-request");
    waiter.setDaemon(true);
    waiter.start();
    restore.add(waiter::interrupt);
  }

  boolean requested() {
    return requested.getCount() == 0;
  }

  /** Waits up to {@code wait}; returns early, with true, when a stop is requested. */
  boolean awaitStop(Duration wait) throws InterruptedException {
    return wait.isNegative() || wait.isZero()
        ? requested()
        : requested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    restore.forEach(Runnable::run);
  }
}
