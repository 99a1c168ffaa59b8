package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.demo.SampleEvents;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/**
 * Submits the append pipeline to a real Flink session cluster (two JVMs on localhost started from
 * Flink's own entrypoints) the way a user does: {@code java -jar target/floe.jar run ... --profile
 * runner-profiles/flink-cluster.yaml} with {@code FLINK_MASTER} set. The jar is staged to the
 * cluster by the Flink runner; the job is checked through Flink's REST API and the table with
 * Iceberg's reader.
 */
class FlinkClusterIT extends BrokerAndWarehouse {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  /**
   * Secrets in the Kafka and catalog properties, as a secured pipeline has them (PLAINTEXT and the
   * Hadoop catalog ignore them): none may show in what the cluster tells about its jobs.
   */
  private static final String KAFKA_PASSWORD = "kafka-pw-c4d2e9";

  private static final String CATALOG_TOKEN = "catalog-token-81fa3b";
  private static final List<String> SECRET_PROPERTIES =
      List.of(
          "--set=inputs[0].kafka.properties.sasl.jaas.config="
              + "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"floe\" password=\""
              + KAFKA_PASSWORD
              + "\";",
          "--set=inputs[0].kafka.properties.ssl.key.password=" + KAFKA_PASSWORD,
          "--set=outputs[0].catalog.token=" + CATALOG_TOKEN);

  private Process submit(FlinkSessionCluster cluster, String topic, Path log, String... extra)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-jar",
                new File("target/floe.jar").getAbsolutePath()));
    command.addAll(onCluster(topic));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("FLINK_MASTER", cluster.master());
    return track(builder.start());
  }

  private String run(FlinkSessionCluster cluster, String topic, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    Process p = submit(cluster, topic, log);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the run finished").isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output + "\n" + cluster.logs()).isZero();
    return output;
  }

  @Test
  void theAppendPipelineRunsOnASessionClusterAsSubmittedJobs() throws Exception {
    String topic = "on-cluster";
    kafka.createTopic(topic, 3);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 2_000, START, Duration.ofHours(6), 1));

    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2)) {
      String first = run(cluster, topic, "first");
      assertThat(first).contains("committed snapshot", "2,000 rows written");
      assertExactlyOnce(table("cloudevents"), 2_000);
      Snapshot s1 = table("cloudevents").currentSnapshot();
      assertThat(s1.summary())
          .containsEntry("added-records", "2000")
          .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());

      SampleEvents.produce(
          kafka.bootstrapServers(),
          SampleEvents.generate(
              topic, 2_000, 500, START.plus(Duration.ofHours(7)), Duration.ofHours(1), 2));
      run(cluster, topic, "second");
      Table table = table("cloudevents");
      assertExactlyOnce(table, 2_500);
      assertThat(table.currentSnapshot().parentId()).isEqualTo(s1.snapshotId());
      assertThat(table.currentSnapshot().summary())
          .containsEntry("added-records", "500")
          .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());

      // the third batch through Flink's own client: flink run target/floe.jar run ...
      SampleEvents.produce(
          kafka.bootstrapServers(),
          SampleEvents.generate(
              topic, 2_500, 300, START.plus(Duration.ofHours(9)), Duration.ofHours(1), 3));
      Path log = dir.resolve("flink-run.log");
      // -Dfloe.it.flink-run-jar=target/floe-flink.jar tries the jar built with -Pflink-cluster
      Path jar = Path.of(System.getProperty("floe.it.flink-run-jar", "target/floe.jar"));
      Process flinkRun = cluster.flinkRun(jar.toAbsolutePath(), onCluster(topic), log);
      assertThat(flinkRun.waitFor(300, TimeUnit.SECONDS)).as("flink run finished").isTrue();
      assertThat(flinkRun.exitValue()).as(Files.readString(log) + "\n" + cluster.logs()).isZero();
      assertThat(Files.readString(log)).contains("300 rows written");
      table.refresh();
      assertExactlyOnce(table, 2_800);
      assertThat(table.snapshots()).hasSize(3);

      // the cluster ran the three batches: finished jobs named after the pipeline, run by the
      // cluster's task manager
      JsonNode jobs = cluster.get("/jobs/overview").path("jobs");
      assertThat(jobs).as(jobs.toString()).hasSize(3);
      for (JsonNode job : jobs) {
        assertThat(job.path("name").asText()).isEqualTo("floe-cloudevents-append");
        assertThat(job.path("state").asText()).isEqualTo("FINISHED");
        assertNoSecretShown(cluster, job.path("jid").asText());
        JsonNode detail = cluster.get("/jobs/" + job.path("jid").asText());
        assertThat(detail.path("vertices"))
            .isNotEmpty()
            .allMatch(v -> v.path("status").asText().equals("FINISHED"));
      }
      assertThat(cluster.get("/overview").path("jobs-finished").asInt()).isEqualTo(3);
      assertThat(cluster.get("/overview").path("jobs-failed").asInt()).isZero();
    }
  }

  @Test
  void aContinuousRunIsOneFlinkJobForManyWindowsAndANewJobResumesExactly() throws Exception {
    String topic = "continuous-on-cluster";
    kafka.createTopic(topic, 2);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 300, START, Duration.ofHours(1), 4));
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2)) {
      Path firstLog = dir.resolve("continuous-1.log");
      Process first = submit(cluster, topic, firstLog, "--trigger-duration", "3s");
      awaitCommits(1, 300, first, firstLog, cluster);
      for (int wave = 1; wave <= 3; wave++) {
        SampleEvents.produce(
            kafka.bootstrapServers(),
            SampleEvents.generate(topic, 300 * wave, 300, START, Duration.ofHours(1), 4 + wave));
        awaitCommits(wave + 1, 300 * (wave + 1), first, firstLog, cluster);
      }
      // one Flink job has committed every window; cancel it as an operator does
      JsonNode jobs = cluster.get("/jobs/overview").path("jobs");
      assertThat(jobs).as(jobs.toString()).hasSize(1);
      assertThat(jobs.get(0).path("state").asText()).isEqualTo("RUNNING");
      assertNoSecretShown(cluster, jobs.get(0).path("jid").asText());
      assertThat(awaitMetric(cluster, jobs.get(0).path("jid").asText(), "windows_committed"))
          .as("the job's Beam metric of committed windows, through Flink's REST API")
          .isGreaterThanOrEqualTo(4);
      cluster.cancel(jobs.get(0).path("jid").asText());
      assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertExactlyOnce(table("cloudevents"), 1_200);

      // what arrives meanwhile is read by the next job, from the offsets the table holds
      SampleEvents.produce(
          kafka.bootstrapServers(),
          SampleEvents.generate(topic, 1_200, 300, START, Duration.ofHours(1), 8));
      Process second =
          submit(
              cluster,
              topic,
              dir.resolve("continuous-2.log"),
              "--trigger-duration",
              "3s",
              "--max-read-time",
              "30s");
      assertThat(second.waitFor(240, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue())
          .as(Files.readString(dir.resolve("continuous-2.log")) + cluster.logs())
          .isZero();
      assertExactlyOnce(table("cloudevents"), 1_500);
      assertThat(table("cloudevents").currentSnapshot().summary())
          .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
      assertThat(cluster.get("/overview").path("jobs-finished").asInt()).isEqualTo(1);
      assertThat(cluster.get("/overview").path("jobs-cancelled").asInt()).isEqualTo(1);
    }
  }

  /** {@code run} of the append pipeline on the session cluster, with the secret properties. */
  private List<String> onCluster(String topic) {
    List<String> args =
        new ArrayList<>(
            args(
                "run",
                "pipelines/cloudevents-append.yaml",
                topic,
                "--profile",
                "runner-profiles/flink-cluster.yaml"));
    args.addAll(SECRET_PROPERTIES);
    return args;
  }

  /**
   * What Flink's REST API and web UI show of a job (its configuration with the pipeline options,
   * its plan with every operator's description, its details) holds no secret.
   */
  private static void assertNoSecretShown(FlinkSessionCluster cluster, String job)
      throws Exception {
    for (String path :
        List.of("/jobs/" + job, "/jobs/" + job + "/config", "/jobs/" + job + "/plan")) {
      String shown = cluster.get(path).toString();
      assertThat(shown).as(path).doesNotContain(KAFKA_PASSWORD).doesNotContain(CATALOG_TOKEN);
    }
  }

  /**
   * The value of the job's operator metric whose name ends in {@code name}, once Flink's REST API
   * shows it (it fetches task managers' metrics every few seconds).
   */
  private static long awaitMetric(FlinkSessionCluster cluster, String job, String name)
      throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      for (JsonNode vertex : cluster.get("/jobs/" + job).path("vertices")) {
        String metrics = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
        for (JsonNode metric : cluster.get(metrics)) {
          String id = metric.path("id").asText();
          if (id.endsWith(name)) {
            JsonNode value =
                cluster.get(metrics + "?get=" + java.net.URLEncoder.encode(id, "UTF-8"));
            return value.path(0).path("value").asLong();
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no metric " + name + " in the job's vertices after 60 s");
  }

  /**
   * Waits until the table holds at least {@code windows} committed windows and {@code rows} rows.
   */
  private void awaitCommits(
      int windows, long rows, Process run, Path log, FlinkSessionCluster cluster) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      int committed = 0;
      long committedRows = 0;
      if (catalog()
          .tableExists(org.apache.iceberg.catalog.TableIdentifier.of("sys01", "cloudevents"))) {
        Table table = table("cloudevents");
        for (Snapshot s : table.snapshots()) {
          committed += s.summary().containsKey("floe.window-end") ? 1 : 0;
        }
        if (table.currentSnapshot() != null) {
          committedRows = Long.parseLong(table.currentSnapshot().summary().get("total-records"));
        }
      }
      if (committed >= windows && committedRows >= rows) {
        return;
      }
      assertThat(run.isAlive())
          .as("the continuous run is alive\n" + Files.readString(log) + "\n" + cluster.logs())
          .isTrue();
      assertThat(System.nanoTime() < until).as("%d windows committed", windows).isTrue();
      Thread.sleep(500);
    }
  }
}
