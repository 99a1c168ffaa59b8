package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A pipeline whose Kafka and catalog properties hold secrets (from the environment, as the docs say
 * to pass them) is explained and run with {@code explain: true}: no secret is in anything Floe
 * prints, logs or writes.
 */
class SecretsIT extends BrokerAndWarehouse {
  private static final String KAFKA_PASSWORD = "kafka-pw-0f3c9a";
  private static final String CATALOG_TOKEN = "catalog-token-7d21be";

  @Test
  void noSecretIsPrintedLoggedOrWritten() throws Exception {
    String topic = sampleTopic("secrets", 2, 200);
    Path pipeline = dir.resolve("secret-pipeline.yaml");
    Files.writeString(
        pipeline,
        Files.readString(Path.of("pipelines/cloudevents-append.yaml"))
            .replace(
                "      startingOffsets: earliest\n",
                "      startingOffsets: earliest\n"
                    // a JAAS line as a SASL user writes it; PLAINTEXT ignores it
                    + "      kafka.sasl.jaas.config: >-\n"
                    + "        org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"floe\" password=\"${FLOE_KAFKA_PASSWORD}\";\n"
                    + "      kafka.ssl.key.password: ${FLOE_KAFKA_PASSWORD}\n")
            .replace(
                "      type: hadoop\n",
                "      type: hadoop\n      token: ${FLOE_CATALOG_TOKEN}\n"));
    Map<String, String> env =
        Map.of("FLOE_KAFKA_PASSWORD", KAFKA_PASSWORD, "FLOE_CATALOG_TOKEN", CATALOG_TOKEN);

    List<String> outputs = new ArrayList<>();
    for (String command : new String[] {"explain", "run"}) {
      Path log = dir.resolve(command + ".log");
      // the run at DEBUG, which opens the libraries' logs and their configuration dumps
      List<String> args =
          new ArrayList<>(
              args(
                  command,
                  pipeline.toString(),
                  topic,
                  "--set",
                  "explain=true",
                  "--set",
                  "logLevel=" + (command.equals("run") ? "DEBUG" : "INFO")));
      Process p = startJar(List.of(), args, log, env);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log);
      assertThat(p.exitValue()).as(output).isZero();
      outputs.add(output);
    }
    assertThat(outputs.get(0))
        .contains("token=****")
        .contains("kafka options: {sasl.jaas.config=****, ssl.key.password=****}");
    assertThat(outputs.get(1))
        .contains("committed snapshot")
        // Kafka's own dump of the consumer's configuration, which the DEBUG level lets through
        .contains("ConsumerConfig values:", "sasl.jaas.config = [hidden]");
    for (String output : outputs) {
      assertThat(output).doesNotContain(KAFKA_PASSWORD).doesNotContain(CATALOG_TOKEN);
    }
    assertExactlyOnce(table("cloudevents"), 200);
    // nor in the audit log, the checkpoints, the tables' metadata
    for (Path root : List.of(dir.resolve("checkpoints"), dir.resolve("warehouse"))) {
      for (Path file : textFiles(root)) {
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
            .as(file.toString())
            .doesNotContain(KAFKA_PASSWORD)
            .doesNotContain(CATALOG_TOKEN);
      }
    }
  }

  /**
   * Run under {@code umask 077}, as a careful operator or container does: nothing Floe writes
   * (warehouse, checkpoints, audit log) can be read by group or others, let alone written.
   */
  @Test
  void filesFollowTheProcessUmask() throws Exception {
    String topic = sampleTopic("umask", 1, 50);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx1g", "-jar", Path.of("target/floe.jar").toAbsolutePath().toString()));
    command.addAll(args("run", "pipelines/cloudevents-append.yaml", topic));
    String shell =
        "umask 077 && exec "
            + command.stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                .reduce((a, b) -> a + " " + b)
                .orElseThrow();
    Path log = dir.resolve("umask.log");
    Process p =
        track(
            new ProcessBuilder("sh", "-c", shell)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    List<Path> written = new ArrayList<>();
    for (Path root : List.of(dir.resolve("checkpoints"), dir.resolve("warehouse"))) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> !f.equals(root)).forEach(written::add);
      }
    }
    assertThat(written).hasSizeGreaterThan(10);
    for (Path f : written) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(f)))
          .as(f.toString())
          .endsWith("------");
    }
  }

  /** A new topic with {@code events} sample events over two hours. */
  private static String sampleTopic(String name, int partitions, int events) {
    kafka.createTopic(name, partitions);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            name, 0, events, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(2), 1));
    return name;
  }

  /** Every file but the Parquet data files: metadata JSON, Avro manifests, the audit log. */
  private static List<Path> textFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.toString().endsWith(".parquet"))
          .toList();
    }
  }
}
