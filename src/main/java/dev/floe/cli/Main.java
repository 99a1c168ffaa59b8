package dev.floe.cli;

import dev.floe.bench.BenchCommand;
import dev.floe.pipeline.TerminalLine;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code floe} command. */
@Command(
    name = "floe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Lands Kafka CloudEvents in Apache Iceberg tables, exactly once, on any Beam runner.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ExplainCommand.class,
      CleanCommand.class,
      MaintainCommand.class,
      DemoCommand.class,
      BenchCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (or nothing new to read)",
      "1:the pipeline file has errors",
      "2:wrong command-line usage",
      "3:another run of the pipeline committed first; this run committed nothing",
      "4:the run failed (broker, catalog, runner); nothing was committed by the failed batch"
    })
public final class Main implements Runnable {
  static final int CONFIG_ERROR = 1;
  static final int CONCURRENT_RUN = 3;
  static final int RUN_FAILED = 4;

  private static final AtomicBoolean OPTIONS_STARTED = new AtomicBoolean();

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("run") || args[0].equals("demo"))) {
      // a batch's progress line on a terminal: its streams first, so that logging writes through
      TerminalLine.install();
      // logging is configured here, on this thread: were the background thread's first logger
      // to start the configuration, the pipeline's logLevel, set meanwhile, would be lost
      LogManager.getContext(false);
      prepareBeamOptionsInBackground(); // before picocli: its own start-up takes a third of a
      // second
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * Beam builds its registry of pipeline options once per JVM, loading and validating every
   * registered options interface: seconds of CPU on a small machine before the first batch can be
   * handed to a runner. The commands that run batches ({@code run}, {@code demo}) start it first,
   * on a daemon thread, so it overlaps with loading the pipeline, reaching the broker and the
   * catalog, and planning the batch; whoever needs the options first waits for the class
   * initialization to finish (the JVM serializes it), so nothing runs twice.
   */
  static void prepareBeamOptionsInBackground() {
    if (OPTIONS_STARTED.getAndSet(true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                Class.forName("dev.floe.runner.RunnerProfile", true, Main.class.getClassLoader());
              } catch (ClassNotFoundException | LinkageError e) {
                // only a broken build gets here; the main thread then fails where it needs the
                // options
              }
            },
            "floe-beam-options");
    t.setDaemon(true);
    t.start();
  }

  /** The command line with Floe's error handling, as {@code main} and the tests use it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(new Failures())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"floe " + (v == null ? "(development build)" : v)};
    }
  }
}
