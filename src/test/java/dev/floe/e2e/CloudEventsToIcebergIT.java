package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import dev.floe.demo.SampleEvents.Event;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The shipped pipelines on a real Kafka broker (KRaft) and a real Hadoop-catalog warehouse, run
 * through the same command line a user types; the table is read back with Iceberg's own reader.
 */
class CloudEventsToIcebergIT extends DeadLetterCases {
  /** Rows per (source, hours since the epoch of _timestamp), as the events say they should be. */
  private static Map<String, Long> expectedPartitions(List<Event> events) {
    return events.stream()
        .collect(
            Collectors.groupingBy(
                e -> e.source() + "|" + OffsetDateTime.parse(e.time()).toEpochSecond() / 3600,
                TreeMap::new,
                Collectors.counting()));
  }

  /** Rows per partition as the table's data files record them. */
  private static Map<String, Long> filePartitions(Table table) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        String key =
            t.file().partition().get(0, String.class)
                + "|"
                + t.file().partition().get(1, Integer.class);
        out.merge(key, t.file().recordCount(), Long::sum);
      }
    }
    return out;
  }

  @Test
  void appendWritesEachEventOnceAndResumesFromTheCommittedOffsets() throws Exception {
    String topic = newTopic();
    List<Event> first = SampleEvents.generate(topic, 0, 1_000, START, Duration.ofHours(6), 1);
    SampleEvents.produce(kafka.bootstrapServers(), first);

    assertThat(run("pipelines/cloudevents-append.yaml", topic)).isZero();

    Table table = table("cloudevents");
    assertThat(table.schema().findType("time")).isEqualTo(Types.TimestampType.withZone());
    assertThat(table.schema().findType("_timestamp")).isEqualTo(Types.TimestampType.withZone());
    assertThat(table.schema().findType("humidity")).isEqualTo(Types.IntegerType.get());
    assertThat(table.schema().findType("temperature")).isEqualTo(Types.DoubleType.get());
    assertThat(table.schema().findType("tags").toString()).isEqualTo("list<string>");
    assertThat(table.schema().findType("extensions").toString()).isEqualTo("map<string, string>");
    assertThat(table.spec().fields())
        .extracting(f -> f.name() + "=" + f.transform())
        .containsExactly("source=identity", "hour=hour");
    assertThat(table.properties())
        .containsEntry("write.metadata.previous-versions-max", "10")
        .containsEntry("history.expire.max-snapshot-age-ms", "7200000")
        .containsEntry("floe.tags", "Cloudevents");

    List<Record> rows = rows(table);
    assertThat(rows).hasSize(1_000);
    assertThat(rows.stream().map(r -> r.getField("source") + "/" + r.getField("id")).distinct())
        .hasSize(1_000);
    Map<String, Event> byId = first.stream().collect(Collectors.toMap(Event::id, e -> e));
    for (Record r : rows) {
      Event e = byId.get((String) r.getField("id"));
      OffsetDateTime time = (OffsetDateTime) r.getField("time");
      assertThat(time.toInstant()).isEqualTo(OffsetDateTime.parse(e.time()).toInstant());
      assertThat(r.getField("_timestamp")).isEqualTo(time);
      assertThat(r.getField("source")).isEqualTo(e.source());
      assertThat(r.getField("deviceId")).isEqualTo(e.deviceId());
      assertThat(r.getField("temperature")).isEqualTo(e.temperature());
      assertThat(r.getField("humidity")).isEqualTo(e.humidity());
      assertThat(r.getField("tags")).isEqualTo(e.tags());
      assertThat(r.getField("specversion")).isEqualTo("1.0");
      assertThat(((Map<?, ?>) r.getField("extensions")).get("region"))
          .isEqualTo(e.binary() ? "us-east" : "eu-west");
    }
    assertThat(filePartitions(table)).isEqualTo(expectedPartitions(first));

    Snapshot s1 = table.currentSnapshot();
    assertThat(s1.summary())
        .containsEntry("floe.pipeline-id", "cloudevents-append")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson())
        .containsEntry("floe.records-read", "1000")
        .containsEntry("added-records", "1000")
        .containsKey("floe.batch-id");
    assertThat(table.properties())
        .containsEntry("floe.kafka.offsets.cloudevents-append", endOffsets(topic, 3).toJson());

    // nothing new: no snapshot
    assertThat(run("pipelines/cloudevents-append.yaml", topic)).isZero();
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(s1.snapshotId());

    // 300 more: exactly those
    List<Event> more =
        SampleEvents.generate(
            topic, 1_000, 300, START.plus(Duration.ofHours(7)), Duration.ofHours(2), 2);
    SampleEvents.produce(kafka.bootstrapServers(), more);
    assertThat(run("pipelines/cloudevents-append.yaml", topic)).isZero();
    table.refresh();
    Snapshot s2 = table.currentSnapshot();
    assertThat(s2.parentId()).isEqualTo(s1.snapshotId());
    assertThat(s2.summary())
        .containsEntry("added-records", "300")
        .containsEntry("total-records", "1300")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
    List<Event> all = new ArrayList<>(first);
    all.addAll(more);
    assertThat(rows(table)).hasSize(1_300);
    assertThat(filePartitions(table)).isEqualTo(expectedPartitions(all));

    List<String> audit = Files.readAllLines(dir.resolve("checkpoints/batches.jsonl"));
    assertThat(audit).hasSize(2);
    assertThat(audit.get(1)).contains("\"records_read\":300", "\"snapshot_id\":" + s2.snapshotId());
  }

  @Test
  void overwriteDynamicReplacesThePartitionsABatchTouches() throws Exception {
    String topic = newTopic();
    List<Event> a = SampleEvents.generate(topic, 0, 600, START, Duration.ofHours(4), 3);
    SampleEvents.produce(kafka.bootstrapServers(), a);
    assertThat(run("pipelines/cloudevents.yaml", topic)).isZero();
    assertThat(rows(table("cloudevents"))).hasSize(600);

    // hours 2 to 5: the partitions of hours 2 and 3 are replaced, 0 and 1 stay
    List<Event> b =
        SampleEvents.generate(
            topic, 600, 200, START.plus(Duration.ofHours(2)), Duration.ofHours(4), 4);
    SampleEvents.produce(kafka.bootstrapServers(), b);
    assertThat(run("pipelines/cloudevents.yaml", topic)).isZero();

    Map<String, Long> touched = expectedPartitions(b);
    List<Event> kept =
        new ArrayList<>(
            a.stream()
                .filter(
                    e ->
                        !touched.containsKey(
                            e.source()
                                + "|"
                                + OffsetDateTime.parse(e.time()).toEpochSecond() / 3600))
                .toList());
    assertThat(kept).isNotEmpty().hasSizeLessThan(600);
    kept.addAll(b);
    Table table = table("cloudevents");
    assertThat(filePartitions(table)).isEqualTo(expectedPartitions(kept));
    assertThat(rows(table))
        .extracting(r -> (String) r.getField("id"))
        .containsExactlyInAnyOrderElementsOf(kept.stream().map(Event::id).toList());
    assertThat(table.currentSnapshot().operation()).isEqualTo("overwrite");
    assertThat(table.currentSnapshot().summary())
        .containsEntry("floe.pipeline-id", "cloudevents-data")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
  }

  @Test
  void completeReplacesTheTableWithEachBatch() throws Exception {
    String topic = newTopic();
    String[] complete = {"--set", "steps[0].sink[0].outputOptions.saveMode=complete"};
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 400, START, Duration.ofHours(3), 5));
    assertThat(run("pipelines/cloudevents-append.yaml", topic, complete)).isZero();
    List<Event> b = SampleEvents.generate(topic, 400, 150, START, Duration.ofHours(3), 6);
    SampleEvents.produce(kafka.bootstrapServers(), b);
    assertThat(run("pipelines/cloudevents-append.yaml", topic, complete)).isZero();

    Table table = table("cloudevents");
    assertThat(rows(table))
        .extracting(r -> (String) r.getField("id"))
        .containsExactlyInAnyOrderElementsOf(b.stream().map(Event::id).toList());
    assertThat(table.currentSnapshot().summary())
        .containsEntry("total-records", "150")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson());
  }

  @Test
  void startingOffsetsApplyToTheFirstRunOnly() throws Exception {
    String topic = newTopic();
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 100, START, Duration.ofHours(1), 8));
    Thread.sleep(1_500);
    Instant after = Instant.now();
    Thread.sleep(1_500);
    List<Event> later = SampleEvents.generate(topic, 100, 50, START, Duration.ofHours(1), 9);
    SampleEvents.produce(kafka.bootstrapServers(), later);

    // a time: the first offset at or after it, per partition (Kafka record timestamps)
    String[] fromTime = {"--set", "inputs[0].options.startingOffsets=" + after};
    assertThat(run("pipelines/cloudevents-append.yaml", topic, fromTime)).isZero();
    assertThat(rows(table("cloudevents")))
        .extracting(r -> (String) r.getField("id"))
        .containsExactlyInAnyOrderElementsOf(later.stream().map(Event::id).toList());

    // latest, for another pipeline on the same table: nothing to read, but the position is
    // committed, so the next run reads what arrived in between
    String[] latest = {
      "--set", "name=from-latest", "--set", "inputs[0].options.startingOffsets=latest"
    };
    assertThat(run("pipelines/cloudevents-append.yaml", topic, latest)).isZero();
    Table table = table("cloudevents");
    assertThat(table.currentSnapshot().summary())
        .containsEntry("floe.pipeline-id", "from-latest")
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson())
        .containsEntry("floe.starting-offsets", "latest");
    List<Event> last = SampleEvents.generate(topic, 150, 30, START, Duration.ofHours(1), 10);
    SampleEvents.produce(kafka.bootstrapServers(), last);
    assertThat(run("pipelines/cloudevents-append.yaml", topic, latest)).isZero();
    assertThat(run("pipelines/cloudevents-append.yaml", topic, fromTime)).isZero();
    // from-latest read the last 30; the first pipeline read them too, from its own offsets
    assertThat(rows(table("cloudevents"))).hasSize(50 + 30 + 30);
  }
}
