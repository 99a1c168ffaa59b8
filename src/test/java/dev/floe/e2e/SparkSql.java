package dev.floe.e2e;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spark SQL with Iceberg's Spark runtime, reading a Hadoop-catalog warehouse as catalog {@code
 * floe} in a JVM of its own (its jars under target/test-servers/spark-reader, the program
 * src/test/spark-reader/SparkSqlReader.java run by Java's source launcher).
 */
final class SparkSql {
  /** One statement's answer: its column names and its rows, fields as Spark prints them. */
  record Result(List<String> columns, List<List<String>> rows) {}

  private SparkSql() {}

  /** Runs {@code statements} in one Spark session over {@code warehouse}; fails with its log. */
  static List<Result> query(Path warehouse, Path log, String... statements) throws Exception {
    Path jars = ServerProcess.testServerFile("spark-reader");
    Path source = Path.of("src/test/spark-reader").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Duser.timezone=UTC");
    // the modules Spark needs opened on Java 17: the build's one list, which this JVM got too
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens"))
        .forEach(command::add);
    command.add("-Dlog4j2.configurationFile=" + source.resolve("log4j2.properties"));
    command.add("-cp");
    command.add(jars + "/*");
    command.add(source.resolve("SparkSqlReader.java").toString());
    command.add(warehouse.toUri().toString());
    command.addAll(List.of(statements));
    Path out = Files.createTempFile(log.getParent(), "spark-sql", ".out");
    Process spark =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .start();
    if (!spark.waitFor(3, TimeUnit.MINUTES)) {
      spark.destroyForcibly().waitFor();
      throw new IllegalStateException(
          "Spark did not answer in 3 minutes: " + Files.readString(log));
    }
    if (spark.exitValue() != 0) {
      throw new IllegalStateException(
          "Spark exited " + spark.exitValue() + ": " + Files.readString(log));
    }
    return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
  }

  private static List<Result> parse(List<String> lines) {
    List<Result> results = new ArrayList<>();
    List<String> columns = null;
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines) {
      if (columns == null) {
        columns = List.of(line.split("\\|", -1));
      } else if (line.equals("--")) {
        results.add(new Result(columns, rows));
        columns = null;
        rows = new ArrayList<>();
      } else {
        rows.add(List.of(line.split("\\|", -1)));
      }
    }
    return results;
  }
}
