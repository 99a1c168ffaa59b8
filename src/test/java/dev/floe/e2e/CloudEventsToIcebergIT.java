package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import dev.floe.demo.SampleEvents.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The shipped pipelines on a real Kafka broker (KRaft) and a real Hadoop-catalog warehouse, run
 * through the same command line a user types; the table is read back with Iceberg's own reader.
 */
class CloudEventsToIcebergIT extends BrokerAndWarehouse {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static int topics;

  private String newTopic() {
    String topic = "events-" + (++topics);
    kafka.createTopic(topic, 3);
    return topic;
  }

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

  @Test
  void badRecordsGoToTheDeadLetterTableOnce() throws Exception {
    String topic = newTopic();
    List<Event> good = SampleEvents.generate(topic, 0, 100, START, Duration.ofHours(1), 7);
    SampleEvents.produce(kafka.bootstrapServers(), good);
    Map<String, String> bad =
        Map.of(
            "",
            "EMPTY_VALUE",
            "{\"specversion\":\"0.3\",\"id\":\"v\",\"source\":\"s\",\"type\":\"t\"}",
            "UNSUPPORTED_SPECVERSION",
            "{\"specversion\":\"1.0\",\"id\":\"n\",\"source\":\"s\",\"type\":\"t\","
                + "\"time\":\"2026-11-24T00:00:00.123456789Z\"}",
            "CAST_FAILED",
            "not json",
            "MALFORMED_JSON",
            "{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\"}",
            "MISSING_ATTRIBUTE",
            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"t\",\"time\":\"noon\"}",
            "INVALID_TIME",
            "{\"specversion\":\"1.0\",\"id\":\"y\",\"source\":\"s\",\"type\":\"t\","
                + "\"data\":{\"humidity\":\"wet\"}}",
            "DATA_TYPE_MISMATCH",
            "{\"specversion\":\"1.0\",\"id\":\"big\",\"data\":\"" + "z".repeat(3_000) + "\"}",
            "TOO_LARGE");
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      for (String value : bad.keySet()) {
        producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)));
      }
      // a tombstone: a key and no value
      producer.send(new ProducerRecord<>(topic, "gone".getBytes(StandardCharsets.UTF_8), null));
    }

    String[] limit = {
      "--set", "inputs[0].maxValueBytes=2000", "--set", "inputs[0].options.tombstones=dead-letter"
    };
    assertThat(run("pipelines/cloudevents-append.yaml", topic, limit)).isZero();
    assertThat(run("pipelines/cloudevents-append.yaml", topic, limit)).isZero();

    assertThat(rows(table("cloudevents"))).hasSize(100);
    Table dlq = table("cloudevents_dlq");
    List<Record> dead = rows(dlq);
    assertThat(dead).hasSize(9);
    Map<String, String> kinds = new HashMap<>();
    for (Record r : dead) {
      if (r.getField("value") == null) {
        assertThat(r.getField("error_kind")).isEqualTo("TOMBSTONE");
        assertThat(
                StandardCharsets.UTF_8.decode((java.nio.ByteBuffer) r.getField("key")).toString())
            .isEqualTo("gone");
        continue;
      }
      String value =
          StandardCharsets.UTF_8.decode((java.nio.ByteBuffer) r.getField("value")).toString();
      if ("TOO_LARGE".equals(r.getField("error_kind"))) {
        // stored truncated to the limit, with the real size beside it
        String big =
            bad.keySet().stream().filter(v -> v.contains("\"big\"")).findFirst().orElseThrow();
        assertThat(value).hasSize(2_000).isEqualTo(big.substring(0, 2_000));
        assertThat(r.getField("value_size")).isEqualTo((long) big.length());
        value = big;
      } else if ("CAST_FAILED".equals(r.getField("error_kind"))) {
        // a step's dead letter holds the row it failed on, as text
        assertThat(value).contains("id: \"n\"", "time: \"2026-11-24T00:00:00.123456789Z\"");
        assertThat(r.getField("error_message")).asString().contains("has nanoseconds");
        value = bad.keySet().stream().filter(v -> v.contains("\"n\"")).findFirst().orElseThrow();
      } else {
        assertThat(r.getField("value_size")).isEqualTo((long) value.length());
      }
      kinds.put(value, (String) r.getField("error_kind"));
      assertThat(r.getField("topic")).isEqualTo(topic);
      assertThat(r.getField("pipeline_id")).isEqualTo("cloudevents-append");
      // set_type runs in the step (named after it); everything else fails in decoding
      assertThat(r.getField("stage"))
          .isEqualTo(value.contains("123456789") ? "cloudevents" : "decode");
    }
    assertThat(kinds).isEqualTo(bad);
    assertThat(dlq.currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 3).toJson())
        .containsEntry("floe.dead-letters", "9")
        .containsEntry("floe.dead-letters.TOO_LARGE", "1")
        .containsEntry("floe.dead-letters.TOMBSTONE", "1");
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.records-read", "109")
        .containsEntry("added-records", "100")
        .containsEntry("floe.dead-letters", "9")
        .containsEntry("floe.dead-letters.EMPTY_VALUE", "1")
        .containsEntry("floe.dead-letters.UNSUPPORTED_SPECVERSION", "1")
        .containsEntry("floe.dead-letters.CAST_FAILED", "1")
        .containsEntry("floe.dead-letters.MALFORMED_JSON", "1")
        .containsEntry("floe.dead-letters.MISSING_ATTRIBUTE", "1")
        .containsEntry("floe.dead-letters.INVALID_TIME", "1")
        .containsEntry("floe.dead-letters.DATA_TYPE_MISMATCH", "1");
  }

  @Test
  void aBatchOverMaxDeadLetterRatioCommitsNothingAndSaysWhy() throws Exception {
    String topic = newTopic();
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 30, START, Duration.ofHours(1), 8));
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      for (int i = 0; i < 6; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, 0, null, ("{broken " + i).getBytes(StandardCharsets.UTF_8)));
      }
      // a tombstone: skipped (the default), counted, not a dead letter
      producer.send(new ProducerRecord<>(topic, 2, "k".getBytes(StandardCharsets.UTF_8), null));
      producer.send(
          new ProducerRecord<>(
              topic,
              1,
              null,
              "{\"specversion\":\"0.3\",\"id\":\"old\",\"source\":\"s\",\"type\":\"t\"}"
                  .getBytes(StandardCharsets.UTF_8)));
    }
    long firstBroken = endOffsets(topic, 3).next(topic, 0) - 6;

    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.floe.cli.Main.commandLine()
            .setErr(new java.io.PrintWriter(err, true))
            .execute(
                args(
                        "run",
                        "pipelines/cloudevents-append.yaml",
                        topic,
                        "--set",
                        "steps[0].sink[0].outputOptions.maxDeadLetterRatio=0.1")
                    .toArray(String[]::new));
    assertThat(code).as(err.toString()).isEqualTo(4);
    assertThat(err.toString())
        .contains(
            "7 of the 38 records read (18.4%) are dead letters, over maxDeadLetterRatio 0.1 (10.0%);"
                + " nothing was committed. Kinds: MALFORMED_JSON 6, UNSUPPORTED_SPECVERSION 1."
                + " First: "
                + topic
                + "-0@"
                + firstBroken
                + " (MALFORMED_JSON), "
                + topic
                + "-0@"
                + (firstBroken + 1)
                + " (MALFORMED_JSON), "
                + topic
                + "-0@"
                + (firstBroken + 2)
                + " (MALFORMED_JSON). Fix the producer, or raise outputOptions.maxDeadLetterRatio");
    assertThat(table("cloudevents").currentSnapshot()).isNull();

    // a higher limit, and the dead letters in a table of another name
    assertThat(
            run(
                "pipelines/cloudevents-append.yaml",
                topic,
                "--set",
                "steps[0].sink[0].outputOptions.maxDeadLetterRatio=0.25",
                "--set",
                "steps[0].sink[0].outputOptions.deadLetterTable=rejected_events"))
        .isZero();
    assertThat(rows(table("cloudevents"))).hasSize(30);
    assertThat(rows(table("rejected_events")))
        .hasSize(7)
        .extracting(r -> r.getField("error_kind"))
        .containsOnly("MALFORMED_JSON", "UNSUPPORTED_SPECVERSION");
    assertThat(Files.readAllLines(dir.resolve("checkpoints/batches.jsonl")).get(0))
        .contains(
            "\"dead_letters\":7",
            "\"tombstones_skipped\":1",
            "\"dead_letters_by_kind\":{\"MALFORMED_JSON\":6,\"UNSUPPORTED_SPECVERSION\":1}");
    assertThat(table("rejected_events").currentSnapshot().summary())
        .containsEntry("floe.dead-letters", "7")
        .containsEntry("floe.dead-letters.MALFORMED_JSON", "6")
        .containsEntry("floe.dead-letters.UNSUPPORTED_SPECVERSION", "1");
  }
}
