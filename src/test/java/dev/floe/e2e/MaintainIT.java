package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.cli.Main;
import dev.floe.demo.SampleEvents;
import java.io.IOException;
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
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * {@code floe maintain} on a table of many small batches, with an ingest of the same pipeline
 * committing while it compacts: no row lost or doubled, one file per partition afterwards, the
 * snapshots the table's properties allow, and the pipeline's offsets kept when the snapshots that
 * carried them expire.
 */
class MaintainIT extends BrokerAndWarehouse {
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  @Test
  void compactsExpiresAndKeepsEveryRowOnceWhileAnIngestRuns() throws Exception {
    String topic = "maintain";
    kafka.createTopic(topic, 3);
    produce(topic, 0, 1_000);
    // 50 small batches, as a frequent schedule or continuous mode leaves them
    assertThat(run(PIPELINE, topic, "--trigger", "available-now", "--max-records-per-batch", "20"))
        .isZero();
    Table table = table("cloudevents");
    assertThat(snapshots(table)).hasSizeGreaterThanOrEqualTo(50);
    Map<String, Integer> before = filesPerPartition(table);
    assertThat(before.values()).allMatch(n -> n > 1);

    // maintain while an ingest of 500 more events commits 5 batches
    produce(topic, 1_000, 500);
    Process ingest = startInBatches(topic, 100, dir.resolve("ingest.log"));
    Process maintain =
        startJar(List.of(), args("maintain", PIPELINE, topic), dir.resolve("maintain.log"));
    assertThat(maintain.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(ingest.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String maintainLog = Files.readString(dir.resolve("maintain.log"));
    assertThat(maintain.exitValue()).as(maintainLog).isZero();
    assertThat(ingest.exitValue()).as(Files.readString(dir.resolve("ingest.log"))).isZero();
    assertThat(maintainLog).containsPattern("sys01.cloudevents: [0-9,]+ data files .* compacted");
    assertExactlyOnce(table("cloudevents"), 1_500);

    // with nothing running: expire to what the properties allow, delete files at once
    table = table("cloudevents");
    table
        .updateProperties()
        .set(TableProperties.MAX_SNAPSHOT_AGE_MS, "1")
        .set(TableProperties.MIN_SNAPSHOTS_TO_KEEP, "1")
        .commit();
    int rows = Main.commandLine().execute(maintainArgs(topic, "--older-than", "0"));
    assertThat(rows).isZero();

    table = table("cloudevents");
    assertExactlyOnce(table, 1_500);
    assertThat(filesPerPartition(table).values()).allMatch(n -> n == 1);
    assertThat(filesPerPartition(table).keySet())
        .containsExactlyInAnyOrderElementsOf(before.keySet());
    long target =
        Long.parseLong(
            table
                .properties()
                .getOrDefault(
                    TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                    String.valueOf(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT)));
    assertThat(dataFiles(table)).allMatch(f -> f.fileSizeInBytes() < target);
    assertThat(snapshots(table)).hasSize(1);
    // the snapshots that carried the offsets are gone; the table property still has them
    assertThat(table.currentSnapshot().summary()).doesNotContainKey("floe.kafka.offsets");
    assertThat(table.properties())
        .containsEntry("floe.kafka.offsets.cloudevents-append", endOffsets(topic, 3).toJson());
    assertThat(filesUnder(table, "metadata", ".metadata.json")).isLessThanOrEqualTo(11);
    assertThat(filesUnder(table, "data", ".parquet")).isEqualTo(dataFiles(table).size());

    // the pipeline goes on from the offsets it kept: nothing again, then only what is new
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(table("cloudevents"), 1_500);
    produce(topic, 1_500, 100);
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(table("cloudevents"), 1_600);
  }

  @Test
  void aRunMaintainsItsTablesAfterEveryNCommits() throws Exception {
    String topic = "maintain-every";
    kafka.createTopic(topic, 3);
    produce(topic, 0, 300);
    Path log = dir.resolve("run.log");
    Process run =
        startInBatches(
            topic, 20, log, "--set", "steps[0].sink[0].outputOptions.maintenance.everyCommits=10");
    assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(run.exitValue()).as(output).isZero();
    // 15 batches: maintained once, after the 10th
    assertThat(output.lines().filter(l -> l.startsWith("maintenance: floe.sys01.cloudevents:")))
        .as(output)
        .singleElement()
        .satisfies(l -> assertThat(l).containsPattern("compacted into [1-9]"));
    Table table = table("cloudevents");
    assertExactlyOnce(table, 300);
    assertThat(table.properties()).containsKey("floe.maintained-at-snapshot");
    assertThat(table.properties())
        .containsEntry("floe.kafka.offsets.cloudevents-append", endOffsets(topic, 3).toJson());
  }

  /** {@code run --trigger available-now} in batches of {@code perBatch}, in a JVM of its own. */
  private Process startInBatches(String topic, int perBatch, Path log, String... extra)
      throws IOException {
    List<String> more =
        new ArrayList<>(
            List.of(
                "--trigger", "available-now", "--max-records-per-batch", String.valueOf(perBatch)));
    more.addAll(List.of(extra));
    return startJar(List.of(), args("run", PIPELINE, topic, more.toArray(String[]::new)), log);
  }

  private String[] maintainArgs(String topic, String... extra) {
    return args("maintain", PIPELINE, topic, extra).toArray(String[]::new);
  }

  private static void produce(String topic, int first, int count) {
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            topic,
            first,
            count,
            START.plus(Duration.ofMinutes(first / 100)),
            Duration.ofMinutes(50),
            1));
  }

  private static List<Snapshot> snapshots(Table table) {
    List<Snapshot> out = new ArrayList<>();
    table.snapshots().forEach(out::add);
    return out;
  }

  private static List<DataFile> dataFiles(Table table) throws IOException {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    }
    return files;
  }

  private static Map<String, Integer> filesPerPartition(Table table) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (DataFile f : dataFiles(table)) {
      counts.merge(table.spec().partitionToPath(f.partition()), 1, Integer::sum);
    }
    return counts;
  }

  private static long filesUnder(Table table, String folder, String suffix) throws IOException {
    try (Stream<Path> files =
        Files.walk(Path.of(java.net.URI.create(table.location() + "/" + folder)))) {
      return files.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }
}
