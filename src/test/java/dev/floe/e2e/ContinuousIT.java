package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.commit.Offsets;
import dev.floe.demo.SampleEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * Continuous mode ({@code --trigger processing-time}) while events keep arriving in waves: a window
 * committed about every triggerDuration, every event once; a stop by SIGTERM commits the window
 * under way; a kill -9 loses and doubles nothing; a batch run of the same pipeline at the same time
 * fails cleanly.
 */
class ContinuousIT extends BrokerAndWarehouse {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private static final String PIPELINE_ID = "cloudevents-append";
  private static int topics;

  private String topic(int partitions) {
    String topic = "continuous-" + (++topics);
    kafka.createTopic(topic, partitions);
    return topic;
  }

  private static void produce(String topic, int first, int count) {
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, first, count, START, Duration.ofHours(2), first));
  }

  /**
   * Waves of {@code perWave} events every {@code every}, once {@code startWhen} holds, until {@code
   * waves} were produced.
   */
  private static ScheduledExecutorService waves(
      String topic,
      int waves,
      int perWave,
      Duration every,
      AtomicInteger produced,
      BooleanSupplier startWhen) {
    ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    producer.scheduleAtFixedRate(
        () -> {
          if (produced.get() < waves * perWave && startWhen.getAsBoolean()) {
            produce(topic, produced.get(), perWave);
            produced.addAndGet(perWave);
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return producer;
  }

  /**
   * How far apart windows may be committed while events arrive: about triggerDuration where one job
   * streams; a loop of batches starts the next window when the last one is done.
   */
  Duration maxWindowGap() {
    return Duration.ofSeconds(6);
  }

  /** Whether the runner streams as one job, committing windows aligned to triggerDuration. */
  boolean oneStreamingJob() {
    return true;
  }

  private String[] continuous(String every, String... more) {
    List<String> args = new ArrayList<>(List.of("--trigger", "processing-time"));
    args.addAll(List.of("--trigger-duration", every));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private List<Snapshot> pipelineSnapshots() {
    List<Snapshot> out = new ArrayList<>();
    if (!catalog().tableExists(TableIdentifier.of("sys01", "cloudevents"))) {
      return out;
    }
    for (Snapshot s : table("cloudevents").snapshots()) {
      if (PIPELINE_ID.equals(s.summary().get("floe.pipeline-id"))) {
        out.add(s);
      }
    }
    return out;
  }

  /** Waits for {@code condition} while {@code run} runs; fails with the run's output if not. */
  private static void awaitWhile(
      Process run, Path log, String what, Duration timeout, BooleanSupplier condition)
      throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!run.isAlive() || System.nanoTime() > until) {
        throw new AssertionError(
            "no "
                + what
                + " after "
                + timeout
                + " (run alive: "
                + run.isAlive()
                + ")\n"
                + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < until).as("waited %s for %s", timeout, what).isTrue();
      Thread.sleep(200);
    }
  }

  @Test
  void aWindowEveryTriggerDurationWhileWavesArriveThenItStopsAtMaxReadTime() throws Exception {
    String topic = topic(3);
    produce(topic, 0, 100);
    // the waves start once the job commits its first window: they all arrive while it runs
    AtomicInteger produced = new AtomicInteger(100);
    ScheduledExecutorService producer =
        waves(topic, 7, 100, Duration.ofSeconds(1), produced, () -> !pipelineSnapshots().isEmpty());
    long started = System.nanoTime();
    int code = run(PIPELINE, topic, continuous("3s", "--max-read-time", "45s"));
    producer.shutdown();
    assertThat(producer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(code).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));

    // every wave arrived during the run, and the last window took the last of them
    assertThat(produced.get()).isEqualTo(700);
    assertExactlyOnce(table("cloudevents"), 700);
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    List<Snapshot> windows = pipelineSnapshots();
    assertThat(windows.size()).isBetween(3, 8);
    // one snapshot per window with records, each for its own window of triggerDuration
    List<Instant> ends = new ArrayList<>();
    for (Snapshot window : oneStreamingJob() ? windows : List.<Snapshot>of()) {
      Instant end = Instant.parse(window.summary().get("floe.window-end"));
      assertThat(end.toEpochMilli() % 3_000).as("window end %s", end).isZero();
      ends.add(end);
    }
    assertThat(ends).isSorted().doesNotHaveDuplicates();
    // committed while the waves arrived, not all at the end: a runner that commits on its
    // checkpoints may commit two windows at once, so the mean gap is what is bounded
    long span =
        windows.get(windows.size() - 1).timestampMillis() - windows.get(0).timestampMillis();
    assertThat(span / (windows.size() - 1))
        .as("mean gap between commits, ms")
        .isBetween(1_000L, maxWindowGap().toMillis());
  }

  @Test
  void anAggregateStepCommitsEachWindowsGroupsAsOneSnapshot() throws Exception {
    String topic = topic(2);
    List<SampleEvents.Event> events = new ArrayList<>();
    Map<String, Long> perSource = new TreeMap<>();
    for (int wave = 0; wave < 4; wave++) {
      events.addAll(
          SampleEvents.generate(topic, wave * 150, 150, START, Duration.ofMinutes(5), wave));
    }
    events.forEach(e -> perSource.merge(e.source(), 1L, Long::sum));
    TableIdentifier perMinute = TableIdentifier.of("sys01", "cloudevents_per_minute");
    SampleEvents.produce(kafka.bootstrapServers(), events.subList(0, 150));
    // the other waves arrive once the first window is committed: each in a window of its own
    AtomicInteger wave = new AtomicInteger(1);
    ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    producer.scheduleWithFixedDelay(
        () -> {
          if (wave.get() < 4
              && catalog().tableExists(perMinute)
              && catalog().loadTable(perMinute).currentSnapshot() != null) {
            int w = wave.getAndIncrement();
            SampleEvents.produce(kafka.bootstrapServers(), events.subList(w * 150, w * 150 + 150));
          }
        },
        0,
        4,
        TimeUnit.SECONDS);
    int code =
        run(
            "pipelines/cloudevents-per-minute.yaml",
            topic,
            continuous("3s", "--max-read-time", "40s"));
    producer.shutdown();
    assertThat(producer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(code).isZero();
    assertThat(wave.get()).isEqualTo(4);

    Table table = catalog().loadTable(perMinute);
    Map<String, Long> counted = new TreeMap<>();
    for (Record row : rows(table)) {
      counted.merge((String) row.getField("source"), (Long) row.getField("events"), Long::sum);
    }
    assertThat(counted).as("events per source, summed over windows").isEqualTo(perSource);
    // every window's groups in one snapshot, each (source, minute) once in it
    List<Snapshot> windows = new ArrayList<>();
    table.snapshots().forEach(windows::add);
    assertThat(windows.size()).isBetween(2, 8);
    for (Snapshot window : windows) {
      Set<List<Object>> groups = new HashSet<>();
      for (Record row : addedRows(table, window)) {
        assertThat(row.getField("arrival_minute")).as("%s", row).isNotNull();
        assertThat(groups.add(List.of(row.getField("source"), row.getField("arrival_minute"))))
            .as("one row per group in window %s", window.summary().get("floe.window-end"))
            .isTrue();
      }
      assertThat(groups).isNotEmpty();
    }
  }

  /** The rows {@code snapshot} added. */
  private static List<Record> addedRows(Table table, Snapshot snapshot) throws IOException {
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table);
    scan =
        snapshot.parentId() == null
            ? scan.useSnapshot(snapshot.snapshotId())
            : scan.appendsBetween(snapshot.parentId(), snapshot.snapshotId());
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> records = scan.build()) {
      records.forEach(out::add);
    }
    return out;
  }

  @Test
  void sigtermCommitsTheWindowUnderWayAndExitsZero() throws Exception {
    String topic = topic(2);
    produce(topic, 0, 300);
    Path log = dir.resolve("sigterm.log");
    Process p = startJar(List.of(), args("run", PIPELINE, topic, continuous("20s")), log);
    awaitWhile(
        p, log, "windows with every event", Duration.ofSeconds(120), () -> committedRows() == 300);
    int windowsBefore = pipelineSnapshots().size();
    produce(topic, 300, 200);
    // a moment to read some of them: the window under way (20 s long) holds what was read
    Thread.sleep(5_000);
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SIGTERM: committing the window under way, then stopping");
    // a run that went well alarms nobody: no library's ERROR in the operator's log, and no WARN
    // until the stop but Spark's about the machine (a host name that resolves to loopback). What
    // Flink may warn of at the stop depends on timing (DeclinedWhileClosingTest covers it)
    assertThat(out).doesNotContain(" ERROR ");
    assertThat(out.substring(0, out.indexOf("SIGTERM: committing")).lines())
        .as(out)
        .filteredOn(line -> line.matches("[0-9:.]+ (WARN|ERROR) .*"))
        .allMatch(line -> line.contains(" WARN  Utils - "));
    // the window under way was committed at the signal, long before its end
    assertThat(pipelineSnapshots()).hasSize(windowsBefore + 1);
    long committed = committedRows();
    assertThat(committed).isGreaterThan(300).isLessThanOrEqualTo(500);
    assertExactlyOnce(table("cloudevents"), (int) committed);
    // what was not read yet is read by the next run, once
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(table("cloudevents"), 500);
  }

  /** The rows the table holds: with good events only, as many as the offsets committed. */
  private long committedRows() {
    List<Snapshot> windows = pipelineSnapshots();
    if (windows.isEmpty()) {
      return 0;
    }
    Snapshot last = windows.get(windows.size() - 1);
    long rows = Long.parseLong(last.summary().get("total-records"));
    long offsets =
        Offsets.fromJson(last.summary().get("floe.kafka.offsets")).asMap().values().stream()
            .flatMap(m -> m.values().stream())
            .mapToLong(Long::longValue)
            .sum();
    assertThat(rows).as("rows committed = offsets committed").isEqualTo(offsets);
    return rows;
  }

  @Test
  void aKillMinusNineLosesAndDoublesNothing() throws Exception {
    String topic = topic(2);
    AtomicInteger produced = new AtomicInteger();
    ScheduledExecutorService producer =
        waves(topic, 6, 150, Duration.ofSeconds(1), produced, () -> true);
    Process p =
        startJar(
            List.of(), args("run", PIPELINE, topic, continuous("2s")), dir.resolve("kill.log"));
    await("a committed window", Duration.ofSeconds(120), () -> pipelineSnapshots().size() >= 1);
    Thread.sleep(1_500); // into a window
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    producer.shutdown();
    assertThat(producer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(table("cloudevents"), produced.get());
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
  }

  @Test
  void aBatchRunDuringAContinuousRunFailsCleanly() throws Exception {
    String topic = topic(2);
    produce(topic, 0, 400);
    Path log = dir.resolve("continuous.log");
    Process p = startJar(List.of(), args("run", PIPELINE, topic, continuous("2s")), log);
    awaitWhile(
        p, log, "first window", Duration.ofSeconds(120), () -> !pipelineSnapshots().isEmpty());
    AtomicInteger produced = new AtomicInteger(400);
    List<Integer> batchCodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      produce(topic, produced.get(), 100);
      produced.addAndGet(100);
      batchCodes.add(run(PIPELINE, topic));
      if (!p.isAlive()) {
        break;
      }
    }
    p.destroy();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    int continuousCode = p.exitValue();
    // whichever lost a race exited 3 and committed nothing; nothing is lost or doubled
    assertThat(batchCodes).allMatch(c -> c == 0 || c == 3);
    assertThat(continuousCode).isIn(0, 3);
    assertThat(run(PIPELINE, topic)).isZero();
    assertExactlyOnce(table("cloudevents"), produced.get());
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
  }
}
