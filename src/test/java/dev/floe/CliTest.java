package dev.floe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as users meet it: help, validate, and the errors of run. */
class CliTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int floe(String... args) {
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(out, true));
    return cmd.execute(args);
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"run", "validate", "explain", "clean", "demo"}) {
      assertThat(floe(command, "--help")).isZero();
    }
    assertThat(floe("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "Usage: floe",
            "run",
            "validate",
            "explain",
            "demo",
            "3   another run of the pipeline committed first");
  }

  @Test
  void validateAcceptsTheShippedPipelines() {
    assertThat(floe("validate", "pipelines/cloudevents-append.yaml")).isZero();
    assertThat(floe("validate", "pipelines/cloudevents.yaml")).isZero();
    assertThat(floe("validate", "pipelines/minimal.yaml")).isZero();
    assertThat(err.toString())
        .contains(
            "warning: pipelines/cloudevents.yaml:56: steps[0].sink[0].outputOptions.saveMode:"
                + " overwrite with overwrite-mode dynamic: each batch replaces the partitions it has"
                + " rows in");
  }

  @Test
  void validateNamesFileLineKeyAndFixOfAMisspelledKey() throws Exception {
    Path copy = dir.resolve("mine.yaml");
    Files.writeString(
        copy,
        Files.readString(Path.of("pipelines/cloudevents.yaml"))
            .replace("partitionSpec:", "partitonSpec:"));
    assertThat(floe("validate", copy.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            copy
                + ":62:"
                + " steps[0].sink[0].outputOptions.iceberg.partitonSpec: unknown key; did you mean"
                + " 'partitionSpec'? allowed keys here: properties, partitionSpec");
  }

  @Test
  void validatePlansTheSqlAndChecksPartitionColumns() {
    assertThat(
            floe(
                "validate",
                "pipelines/cloudevents.yaml",
                "--set",
                "steps[0].sink[0].outputOptions.iceberg.partitionSpec[0].column=src"))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "pipelines/cloudevents.yaml:63:"
                + " steps[0].sink[0].outputOptions.iceberg.partitionSpec[0].column: no column 'src' in the output"
                + " of step 'cloudevents'; the columns are [specversion, id, source,");
  }

  @Test
  void validateRunsTheSqlThroughBeamSql() {
    assertThat(
            floe(
                "validate",
                "pipelines/cloudevents.yaml",
                "--set",
                "steps[0].sequence[0].sql=SELECT nope FROM input_cloudevents"))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "pipelines/cloudevents.yaml:41:"
                + " steps.sequence.cloudevents.sql: the SQL does not run: Column 'nope' not found in any"
                + " table");
  }

  @Test
  void unreachableBrokerFailsWithinTheConfiguredTime() {
    long started = System.nanoTime();
    int code =
        floe(
            "run",
            "pipelines/cloudevents-append.yaml",
            "--set",
            "inputs[0].kafka.bootstrapServers=127.0.0.1:1",
            "--set",
            "inputs[0].kafka.properties.default.api.timeout.ms=2000",
            "--set",
            "outputs[0].catalog.warehouse=" + dir.resolve("wh"),
            "--set",
            "explain=false");
    assertThat(code).isEqualTo(4);
    assertThat(err.toString())
        .contains(
            "floe: Kafka at 127.0.0.1:1 did not answer within 2 s:"
                + " check that the broker is running and reachable");
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(30);
  }
}
