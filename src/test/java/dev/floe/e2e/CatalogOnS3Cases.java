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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once checks every shared catalog must pass with its warehouse in object storage: the
 * reference pipeline run as a user runs it ({@code java -jar}, S3 keys from the environment by the
 * AWS SDK's default chain), read back through the same catalog with Iceberg's own reader.
 * Subclasses say how the catalog is named and started.
 */
abstract class CatalogOnS3Cases extends BrokerAndWarehouse {
  static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  static final String BUCKET = "floe-it";
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  static S3ProxyServer s3;

  @BeforeAll
  static void startObjectStore() throws Exception {
    s3 = S3ProxyServer.start(Files.createTempDirectory("floe-s3"), BUCKET);
  }

  @AfterAll
  static void stopObjectStore() throws Exception {
    s3.close();
  }

  /** Where this test's tables live: {@code s3://floe-it/<prefix of its own>}. */
  abstract String warehouse();

  /** The catalog as the pipeline names it: no keys, secrets only as {@code ${VAR}}. */
  abstract Map<String, String> catalogProperties();

  /** {@code own} catalog properties plus this test's warehouse on S3Proxy, without keys. */
  Map<String, String> onObjectStore(Map<String, String> own) {
    Map<String, String> p = new HashMap<>(own);
    p.put("warehouse", warehouse());
    p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    p.put("s3.endpoint", s3.endpoint());
    p.put("s3.path-style-access", "true");
    return p;
  }

  /** The secrets the catalog names as {@code ${VAR}}, by variable. */
  Map<String, String> secrets() {
    return Map.of();
  }

  /** What the run's environment holds: the S3 keys and the catalog's secrets. */
  Map<String, String> runEnvironment() {
    Map<String, String> env = new HashMap<>(S3ProxyServer.credentialsEnvironment());
    env.putAll(secrets());
    return env;
  }

  /** The test's own client of the catalog: the pipeline's, its secrets and keys filled in. */
  Map<String, String> readerProperties() {
    Map<String, String> p = new HashMap<>();
    catalogProperties()
        .forEach(
            (k, v) -> {
              String value = v;
              for (Map.Entry<String, String> secret : secrets().entrySet()) {
                value = value.replace("${" + secret.getKey() + "}", secret.getValue());
              }
              p.put(k, value);
            });
    p.putAll(s3.fileIoProperties());
    return p;
  }

  /**
   * Runs with {@code variable} set to a wrong value; asserts exit 4 and that no secret, right or
   * wrong, is in the output; returns the output.
   */
  String runRefused(String topic, String variable, String wrong) throws Exception {
    Map<String, String> env = new HashMap<>(runEnvironment());
    env.put(variable, wrong);
    Path log = dir.resolve("refused.log");
    Process p = start(topic, log, env);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isEqualTo(4);
    assertThat(output).doesNotContain(wrong);
    secrets().values().forEach(secret -> assertThat(output).doesNotContain(secret));
    return output;
  }

  /** Named as Floe names its catalog: a JDBC catalog keeps its tables under that name. */
  private Catalog readerCatalog() {
    return CatalogUtil.buildIcebergCatalog(
        "floe", readerProperties(), new org.apache.hadoop.conf.Configuration());
  }

  @Override
  Table table(String name) {
    return readerCatalog().loadTable(TableIdentifier.of("sys01", name));
  }

  Process start(String topic, Path log) throws IOException {
    return start(topic, log, runEnvironment());
  }

  Process start(String topic, Path log, Map<String, String> environment) throws IOException {
    List<String> extra = new ArrayList<>();
    catalogProperties()
        .forEach((k, v) -> extra.addAll(List.of("--set", "outputs[0].catalog." + k + "=" + v)));
    return startJar(
        List.of(), args("run", PIPELINE, topic, extra.toArray(String[]::new)), log, environment);
  }

  int run(String topic, Path log) throws Exception {
    Process p = start(topic, log);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("run finished").isTrue();
    return p.exitValue();
  }

  String topic(String name, int partitions, int events) {
    kafka.createTopic(name, partitions);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(name, 0, events, START, Duration.ofHours(6), 1));
    return name;
  }

  @Test
  void everyEventLandsOnceInS3AndARerunAddsNothing() throws Exception {
    String topic = topic("s3-once", 3, 2_000);
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      producer.send(new ProducerRecord<>(topic, "not json".getBytes(StandardCharsets.UTF_8)));
    }
    Path log = dir.resolve("first.log");
    assertThat(run(topic, log)).as(Files.readString(log)).isZero();

    Table table = table("cloudevents");
    assertExactlyOnce(table, 2_000);
    assertThat(table.location()).startsWith(warehouse());
    assertThat(table.currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    // the files are objects in the bucket, under the table's location
    List<DataFile> files = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
    assertThat(files).isNotEmpty().allMatch(f -> f.location().startsWith(table.location() + "/"));
    String prefix = warehouse().substring(("s3://" + BUCKET + "/").length());
    try (Stream<Path> objects = Files.walk(s3.root.resolve(BUCKET).resolve(prefix))) {
      assertThat(objects.filter(p -> p.toString().endsWith(".parquet")).count())
          .isGreaterThanOrEqualTo(files.size());
    }
    assertThat(rows(table("cloudevents_dlq")))
        .singleElement()
        .satisfies(r -> assertThat(r.getField("error_kind")).isNotNull());

    // a rerun finds nothing new; later events are added once
    int snapshots = snapshotCount(table("cloudevents"));
    assertThat(run(topic, dir.resolve("rerun.log"))).isZero();
    assertThat(snapshotCount(table("cloudevents"))).isEqualTo(snapshots);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            topic, 2_000, 500, START.plus(Duration.ofHours(7)), Duration.ofHours(1), 2));
    assertThat(run(topic, dir.resolve("more.log"))).isZero();
    assertExactlyOnce(table("cloudevents"), 2_500);
  }

  @Test
  void twoRunsStartedTogetherNeverBothCommitTheSameOffsets() throws Exception {
    String topic = topic("s3-race", 3, 3_000);
    Process a = start(topic, dir.resolve("a.log"));
    Process b = start(topic, dir.resolve("b.log"));
    assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String logs =
        Files.readString(dir.resolve("a.log"))
            + "\n----\n"
            + Files.readString(dir.resolve("b.log"));
    assertThat(List.of(a.exitValue(), b.exitValue()))
        .as(logs)
        .allMatch(code -> code == 0 || code == 3)
        .contains(0);
    assertExactlyOnce(table("cloudevents"), 3_000);
  }

  static int snapshotCount(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }
}
