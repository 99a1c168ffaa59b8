package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.cli.Main;
import dev.floe.commit.Offsets;
import dev.floe.demo.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tries hard to break exactly-once: crashes at every stage of a batch (a real halt of a child JVM
 * running the shaded jar, and SIGKILL at random moments), concurrent runs, available-now batches,
 * read deadlines, partitions added and offsets lost to retention.
 */
class ExactlyOnceIT extends BrokerAndWarehouse {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private static int topics;

  private String topic(int partitions, int events) {
    String topic = "eo-" + (++topics);
    kafka.createTopic(topic, partitions);
    produce(topic, 0, events);
    return topic;
  }

  private static void produce(String topic, int first, int count) {
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, first, count, START, Duration.ofHours(6), first));
  }

  private List<String> args(String topic, String... extra) {
    return args("run", PIPELINE, topic, extra);
  }

  /** {@code java -jar target/floe.jar run ...} in its own JVM, as a user or a scheduler runs it. */
  private Process start(String topic, String haltAt, Path log, String... extra) throws IOException {
    return start(
        haltAt == null ? List.of() : List.of("-Dfloe.test.halt-at=" + haltAt), topic, log, extra);
  }

  private Process start(List<String> properties, String topic, Path log, String... extra)
      throws IOException {
    return startJar(properties, args(topic, extra), log);
  }

  private Table table() {
    return table("cloudevents");
  }

  private boolean tableExists() {
    return catalog().tableExists(TableIdentifier.of("sys01", "cloudevents"));
  }

  private void assertExactlyOnce(int events) throws IOException {
    assertExactlyOnce(table(), events);
  }

  private static List<Snapshot> snapshots(Table table) {
    List<Snapshot> out = new ArrayList<>();
    table.snapshots().forEach(out::add);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "write", "before-commit", "after-commit"})
  void aCrashAtAnyStageLosesAndDuplicatesNothing(String point) throws Exception {
    String topic = topic(3, 2_000);
    Process crashed = start(topic, point, dir.resolve("crash.log"));
    assertThat(crashed.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(crashed.exitValue()).as(Files.readString(dir.resolve("crash.log"))).isEqualTo(137);
    assertThat(Files.readString(dir.resolve("crash.log")))
        .contains("floe.test.halt-at: halting at " + point);

    boolean committed = point.equals("after-commit");
    Set<String> orphans = new HashSet<>();
    if (tableExists()) {
      Table table = table();
      assertThat(table.currentSnapshot() != null).isEqualTo(committed);
      if (!committed) {
        orphans.addAll(parquetFiles(table));
      }
    }
    // halted after files were written: they are on disk, and not in the table
    if (point.equals("write") || point.equals("before-commit")) {
      assertThat(orphans).isNotEmpty();
    }

    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(2_000);
    Table table = table();
    assertThat(table.currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    Set<String> referenced = new HashSet<>();
    for (DataFile f : table.currentSnapshot().addedDataFiles(table.io())) {
      // Hadoop keeps the partition path's %2F literally in directory names: no URI decoding
      referenced.add(f.location().replaceFirst("^file:", ""));
    }
    assertThat(referenced).isNotEmpty();
    assertThat(orphans).noneMatch(referenced::contains);

    // floe clean removes what the crashed attempt left, and nothing the table uses
    List<String> clean = args("clean", PIPELINE, topic, new String[] {"--older-than", "0"});
    assertThat(Main.commandLine().execute(clean.toArray(String[]::new))).isZero();
    Set<String> left = parquetFiles(table());
    assertThat(left).containsExactlyInAnyOrderElementsOf(referenced);
    assertExactlyOnce(2_000);
  }

  /** Whether the suite's runner retries a failed task itself (Flink's profiles do). */
  boolean runnerRetriesFailedTasks() {
    return false;
  }

  @Test
  void aFailedWriterAttemptIsRetriedOrRerunWithoutDuplicates() throws Exception {
    String topic = topic(3, 2_000);
    Path marker = dir.resolve("writer-failed");
    Process p =
        start(List.of("-Dfloe.test.fail-once-at=write:" + marker), topic, dir.resolve("fail.log"));
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("fail.log"));
    assertThat(marker).exists();
    assertThat(log).contains("floe.test.fail-once-at: failing this attempt at write");
    if (runnerRetriesFailedTasks()) {
      // the runner retried the task and the batch committed once
      assertThat(p.exitValue()).as(log).isZero();
    } else {
      // the run failed and committed nothing; the next run does the batch
      assertThat(p.exitValue()).as(log).isEqualTo(4);
      assertThat(tableExists() && table().currentSnapshot() != null).isFalse();
      assertThat(run(PIPELINE, topic)).isZero();
    }
    assertExactlyOnce(2_000);
    assertThat(snapshots(table())).hasSize(1);
    assertThat(table().currentSnapshot().summary())
        .containsEntry("added-records", "2000")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
  }

  private static Set<String> parquetFiles(Table table) throws IOException {
    Path data = Path.of(java.net.URI.create(table.location())).resolve("data");
    if (!Files.exists(data)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(f -> f.toString().endsWith(".parquet"))
          .map(Path::toString)
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void tenKillsAtRandomMomentsThenACleanRun() throws Exception {
    int events = 6_000;
    String topic = topic(3, events);
    Random random = new Random(7);
    String[] batches = {"--trigger", "available-now", "--max-records-per-batch", "1000"};
    List<Integer> killedAfterMillis = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Process p = start(topic, null, dir.resolve("kill-" + i + ".log"), batches);
      int wait = 1_000 + random.nextInt(9_000);
      if (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        killedAfterMillis.add(wait);
      }
    }
    assertThat(killedAfterMillis).as("runs killed before they finished").isNotEmpty();
    assertThat(run(PIPELINE, topic, batches)).isZero();
    assertExactlyOnce(events);
    assertThat(table().currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
  }

  @Test
  void twoRunsStartedTogetherNeverBothCommitTheSameOffsets() throws Exception {
    String topic = topic(3, 3_000);
    Process a = start(topic, null, dir.resolve("a.log"));
    Process b = start(topic, null, dir.resolve("b.log"));
    assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(180, TimeUnit.SECONDS)).isTrue();
    List<String> logs =
        List.of(Files.readString(dir.resolve("a.log")), Files.readString(dir.resolve("b.log")));
    assertThat(List.of(a.exitValue(), b.exitValue()))
        .as(String.join("\n----\n", logs))
        .allMatch(code -> code == 0 || code == 3)
        .contains(0);
    for (int i = 0; i < 2; i++) {
      if (List.of(a, b).get(i).exitValue() == 3) {
        assertThat(logs.get(i))
            .contains(
                "another run of pipeline cloudevents-append committed" + " offsets",
                "first",
                "nothing was committed by this run");
      }
    }
    assertExactlyOnce(3_000);
    assertThat(
            snapshots(table()).stream()
                .filter(s -> s.addedDataFiles(table().io()).iterator().hasNext()))
        .hasSize(1);
    produce(topic, 3_000, 500);
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(3_500);
  }

  @Test
  void availableNowCommitsBatchesUpToTheEndOffsetsAtLaunch() throws Exception {
    String topic = topic(3, 1_000);
    assertThat(run(PIPELINE, topic, "--trigger", "available-now", "--max-records-per-batch", "300"))
        .isZero();
    Table table = table();
    List<Snapshot> snapshots = snapshots(table);
    assertThat(snapshots)
        .extracting(s -> s.summary().get("added-records"))
        .containsExactly("300", "300", "300", "100");
    assertThat(snapshots)
        .extracting(s -> s.summary().get("floe.records-read"))
        .containsExactly("300", "300", "300", "100");
    assertThat(snapshots.get(3).summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    assertExactlyOnce(1_000);
    assertThat(Files.readAllLines(dir.resolve("checkpoints/batches.jsonl"))).hasSize(4);
  }

  @Test
  void aBacklogBiggerThanTheDirectRunnersHeapShareIsCommittedInBatchesThatFit() throws Exception {
    String topic = topic(3, 25_000);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = run(PIPELINE, topic, "--directBatchMemoryMb=10");
    } finally {
      System.setOut(stdout);
    }
    assertThat(exit).isZero();
    List<Snapshot> snapshots = snapshots(table());
    if (profile() == null) {
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains(
              "cloudevents-append: 25,000 records to read, but the Direct runner holds a whole"
                  + " batch on its heap (distribution hash)");
      assertThat(snapshots).hasSizeGreaterThan(1);
      long first = Long.parseLong(snapshots.get(0).summary().get("added-records"));
      assertThat(snapshots)
          .allSatisfy(
              s ->
                  assertThat(Long.parseLong(s.summary().get("added-records")))
                      .isLessThanOrEqualTo(first));
    } else {
      // Flink and Spark write as they read (distribution none): one batch, whatever the backlog
      assertThat(snapshots).hasSize(1);
    }
    assertThat(snapshots.get(snapshots.size() - 1).summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    assertExactlyOnce(25_000);
  }

  @Test
  void maxReadTimeCommitsWhatWasReadWithOffsetsFromTheRecords() throws Exception {
    int events = 20_000;
    String topic = topic(3, events);
    // polls of 20 records, each 50 ms longer (SlowPolls): the read would take ~50 s
    String[] slow = {
      "--max-read-time",
      "2s",
      "--set",
      "inputs[0].kafka.properties.max.poll.records=20",
      "--set",
      "inputs[0].kafka.properties.interceptor.classes=" + SlowPolls.class.getName()
    };
    assertThat(run(PIPELINE, topic, slow)).isZero();
    Snapshot first = table().currentSnapshot();
    long read = Long.parseLong(first.summary().get("floe.records-read"));
    assertThat(read).isPositive().isLessThan(events);
    // offsets come from the records read: every record below them is in the table, none above
    assertThat(first.summary()).containsEntry("added-records", String.valueOf(read));
    Map<Integer, Long> offsets =
        Offsets.fromJson(first.summary().get("floe.kafka.offsets")).partitions(topic);
    assertThat(offsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(read);

    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(events);
  }

  @Test
  void partitionsAddedBetweenRunsAreReadFromTheirStart() throws Exception {
    String topic = topic(2, 400);
    assertThat(run(PIPELINE, topic)).isZero();
    try (var admin = kafka.admin()) {
      admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
    }
    produce(topic, 400, 600);
    assertThat(run(PIPELINE, topic)).isZero();
    Map<Integer, Long> committed =
        Offsets.fromJson(table().currentSnapshot().summary().get("floe.kafka.offsets"))
            .partitions(topic);
    assertThat(committed).containsOnlyKeys(0, 1, 2, 3);
    assertThat(committed).isEqualTo(endOffsets(topic, 4).partitions(topic));
    assertExactlyOnce(1_000);
  }

  @Test
  void offsetsLostToRetentionFailOrAreSkippedAndRecorded() throws Exception {
    String topic = topic(1, 100);
    assertThat(run(PIPELINE, topic)).isZero();
    produce(topic, 100, 100);
    try (var admin = kafka.admin()) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(150)))
          .all()
          .get();
    }
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(
            Main.commandLine()
                .setErr(new java.io.PrintWriter(err, true))
                .execute(args(topic).toArray(String[]::new)))
        .isEqualTo(4);
    assertThat(err.toString())
        .contains(
            "floe: offsets 100 to 149 of "
                + topic
                + "-0 were deleted"
                + " by the topic's retention before this pipeline read them. Set"
                + " inputs[].options.failOnDataLoss: false to skip them");
    assertExactlyOnce(100);

    assertThat(run(PIPELINE, topic, "--set", "inputs[0].options.failOnDataLoss=false")).isZero();
    Snapshot s = table().currentSnapshot();
    assertThat(s.summary())
        .containsEntry("floe.skipped-offsets", "{\"" + topic + "\":{\"0\":[100,150]}}")
        .containsEntry("added-records", "50")
        .containsEntry("floe.kafka.offsets", "{\"" + topic + "\":{\"0\":200}}");
  }
}
