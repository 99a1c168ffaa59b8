package dev.floe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code floe} command. */
@Command(
    name = "floe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Lands Kafka CloudEvents in Apache Iceberg tables, exactly once, on any Beam runner.",
    subcommands = {
      RunCommand.class, ValidateCommand.class, ExplainCommand.class, CleanCommand.class,
      DemoCommand.class, BenchCommand.class
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

  public static void main(String[] args) {
    BenchCommand.reportAtExit();
    System.exit(commandLine().execute(args));
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
