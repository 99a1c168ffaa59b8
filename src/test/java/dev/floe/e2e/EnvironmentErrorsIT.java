package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.cli.Main;
import dev.floe.demo.SampleEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a run says when its surroundings are wrong: one paragraph naming the thing and the fix, exit
 * code 4, and nothing committed.
 */
class EnvironmentErrorsIT extends BrokerAndWarehouse {
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private static int topics;

  private String topicWithEvents() {
    String topic = "env-" + (++topics);
    kafka.createTopic(topic, 2);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            topic, 0, 50, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(1), 3));
    return topic;
  }

  /** Runs and returns stderr, asserting exit code 4. */
  private String failingRun(String topic, String... extra) {
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine()
            .setErr(new PrintWriter(err, true))
            .execute(args("run", PIPELINE, topic, extra).toArray(String[]::new));
    assertThat(code).as(err.toString()).isEqualTo(4);
    return err.toString();
  }

  @Test
  void anUnreachableBrokerFailsWithinTheConfiguredTime() {
    long started = System.nanoTime();
    String err =
        failingRun(
            "any",
            "--set",
            "inputs[0].kafka.bootstrapServers=127.0.0.1:9",
            "--set",
            "inputs[0].kafka.properties.default.api.timeout.ms=3000");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(err)
        .startsWith(
            "floe: Kafka at 127.0.0.1:9 did not answer within 3 s: check that"
                + " the broker is running and reachable, and that kafka.bootstrapServers is right (the"
                + " wait is set by the consumer property default.api.timeout.ms)");
    assertThat(committedAnything()).isFalse();
  }

  @Test
  void aMissingTopicIsNamed() {
    String err = failingRun("no-such-topic");
    assertThat(err)
        .startsWith(
            "floe: topic 'no-such-topic' does not exist on Kafka at "
                + kafka.bootstrapServers()
                + ": create it, or fix kafka.topic in the pipeline");
    assertThat(committedAnything()).isFalse();
  }

  @Test
  void anUnreachableCatalogIsNamedWithItsUri() {
    String err =
        failingRun(
            topicWithEvents(),
            "--set",
            "outputs[0].catalog.type=rest",
            "--set",
            "outputs[0].catalog.uri=http://127.0.0.1:9");
    assertThat(err)
        .startsWith(
            "floe: the catalog cannot be reached (type rest, uri" + " http://127.0.0.1:9): ")
        .contains(
            "Check outputs[].catalog (uri, credentials) and that the catalog is up; nothing"
                + " was read or committed");
  }

  /** A catalog that takes the connection and never answers: stuck, not down. */
  @Test
  void aCatalogThatDoesNotAnswerIsToldApartFromOneThatIsDown() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      Thread accepting =
          new Thread(
              () -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      String uri = "http://127.0.0.1:" + silent.getLocalPort();
      String err =
          failingRun(
              topicWithEvents(),
              "--set",
              "outputs[0].catalog.type=rest",
              "--set",
              "outputs[0].catalog.uri=" + uri,
              "--set",
              "outputs[0].catalog.rest.client.socket-timeout-ms=1500");
      assertThat(err)
          .startsWith(
              "floe: the catalog (type rest, uri "
                  + uri
                  + ") did not answer within 1500 ms (rest.client.socket-timeout-ms). Check that"
                  + " the catalog is healthy, or raise rest.client.socket-timeout-ms in"
                  + " outputs[].catalog; nothing was read or committed");
    }
  }

  @Test
  void aTableWhoseSchemaDiffersListsTheColumns() {
    String topic = topicWithEvents();
    catalog().createNamespace(Namespace.of("sys01"));
    catalog()
        .createTable(
            TableIdentifier.of("sys01", "cloudevents"),
            new Schema(
                Types.NestedField.optional(1, "id", Types.StringType.get()),
                Types.NestedField.optional(2, "humidity", Types.StringType.get())));
    String err = failingRun(topic);
    assertThat(err)
        .startsWith(
            "floe: table sys01.cloudevents exists with a schema the"
                + " pipeline's rows cannot be written to: ")
        .contains(
            "humidity: the table has string, the rows int",
            "source string (not in the table)",
            "Write to a new table (datasetName), or change the table to match.");
    assertThat(committedAnything()).isFalse();
  }

  @Test
  void aWarehouseThatCannotBeWrittenIsNamed() throws Exception {
    String topic = topicWithEvents();
    // a file where the warehouse directory should be: no user, root included, can create it
    Files.writeString(dir.resolve("blocker"), "not a directory");
    String err =
        failingRun(
            topic, "--set", "outputs[0].catalog.warehouse=" + dir.resolve("blocker/warehouse"));
    assertThat(err)
        .startsWith("floe: cannot create table sys01.cloudevents: ")
        .contains(
            "Check that the warehouse (outputs[].catalog.warehouse) exists and this user"
                + " may write to it; nothing was read or committed");
  }

  /**
   * A warehouse whose disk fills during the batch (a 1 MB tmpfs, nearly full): the message names
   * the table and its location, nothing is committed, and once there is room a rerun lands every
   * event once. Needs a user who may mount (root, as CI runs); skipped where mounting is refused.
   */
  @Test
  void aFullDiskNamesTheTableAndARerunAfterFreeingSpaceIsExact() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("small-disk"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString())
            .redirectErrorStream(true)
            .start();
    Assumptions.assumeTrue(
        mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "mounting a tmpfs was refused: " + new String(mount.getInputStream().readAllBytes()));
    try {
      String topic = "full-disk";
      kafka.createTopic(topic, 2);
      SampleEvents.produce(
          kafka.bootstrapServers(),
          SampleEvents.generate(
              topic, 0, 10_000, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(6), 3));
      // room for the tables' first metadata, not for the batch's data files
      Path filler = disk.resolve("filler");
      Files.write(filler, new byte[1024 * 1024 - 48 * 1024]);
      String warehouse = "outputs[0].catalog.warehouse=" + disk.resolve("warehouse");
      String err = failingRun(topic, "--set", warehouse);
      assertThat(err)
          .startsWith(
              "floe: cannot write the data files of table sys01.cloudevents under file://"
                  + disk.resolve("warehouse/sys01/cloudevents"))
          .contains(
              ": No space left on device. Nothing was committed: make room on the warehouse or let"
                  + " this user write to it, and run again; the run continues from the offsets the"
                  + " table holds");
      HadoopCatalog small =
          new HadoopCatalog(new Configuration(), disk.resolve("warehouse").toString());
      assertThat(committedAnything(small)).isFalse();

      Files.delete(filler);
      assertThat(run(PIPELINE, topic, "--set", warehouse)).isZero();
      assertExactlyOnce(small.loadTable(TableIdentifier.of("sys01", "cloudevents")), 10_000);
    } finally {
      // lazily: the failed run's writers may still hold files open
      new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Continuous mode keeps the runner's checkpoints under streaming.checkpointLocation. */
  @Test
  void aCheckpointLocationThatCannotBeWrittenIsNamed() throws Exception {
    String topic = topicWithEvents();
    Files.writeString(dir.resolve("blocker"), "not a directory");
    String err =
        failingRun(
            topic,
            "--set",
            "streaming.checkpointLocation=" + dir.resolve("blocker/checkpoints"),
            "--trigger",
            "processing-time",
            "--trigger-duration",
            "2s",
            "--max-read-time",
            "4s");
    assertThat(err)
        .startsWith(
            "floe: cannot create the directory for the runner's checkpoints under "
                + dir.resolve("blocker/checkpoints")
                + " (FileSystemException: ")
        .contains(
            "Check that streaming.checkpointLocation is a directory this user may write to, or"
                + " change it; nothing was read or committed");
    assertThat(committedAnything()).isFalse();
  }
}
