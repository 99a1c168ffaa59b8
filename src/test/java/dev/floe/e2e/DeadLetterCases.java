package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import dev.floe.demo.SampleEvents.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the shipped append pipeline does with records it cannot land, on every runner (the runner
 * subclasses of {@link CloudEventsToIcebergIT} inherit these): each kind of bad record becomes one
 * dead letter, with its kind, stage and offsets in the snapshot summary, and a batch over {@code
 * maxDeadLetterRatio} commits nothing and says why.
 */
abstract class DeadLetterCases extends BrokerAndWarehouse {
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static int topics;

  /** A new topic of 3 partitions, its name unique in this broker. */
  String newTopic() {
    String topic = "events-" + (++topics);
    kafka.createTopic(topic, 3);
    return topic;
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
