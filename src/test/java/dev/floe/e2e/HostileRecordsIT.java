package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Records made to break a reader, among ordinary events, run the way a user runs Floe and with a
 * small heap: each is a dead letter, or a row where it is a valid event, and the rest of the batch
 * lands exactly once.
 */
class HostileRecordsIT extends BrokerAndWarehouse {
  private static final String OK =
      "\"specversion\":\"1.0\",\"source\":\"/hostile\",\"type\":\"t\",\"id\":";

  @Test
  void hostileRecordsAreDeadLettersAndTheRestLandsOnce() throws Exception {
    String topic = "hostile";
    kafka.createTopic(topic, 2);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            topic, 0, 300, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(1), 5));

    Map<String, String> deadLetterKinds = new TreeMap<>();
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      String deep = "[".repeat(100_000) + "]".repeat(100_000);
      send(
          producer,
          topic,
          new RecordHeaders(),
          json("{" + OK + "\"deep\",\"data\":{\"extra\":" + deep + "}}"));
      deadLetterKinds.put("deep", "MALFORMED_JSON");
      String digits = "7".repeat(200_000);
      send(
          producer,
          topic,
          new RecordHeaders(),
          json("{" + OK + "\"digits\",\"data\":{\"temperature\":" + digits + "}}"));
      deadLetterKinds.put("digits", "MALFORMED_JSON");
      byte[] random = new byte[4096];
      new Random(11).nextBytes(random);
      RecordHeaders structured = new RecordHeaders();
      structured.add("content-type", json("application/cloudevents+json"));
      send(producer, topic, structured, random);
      deadLetterKinds.put("random", "MALFORMED_JSON");
      byte[] start = json("{" + OK + "\"utf8\",\"subject\":\"");
      byte[] invalidUtf8 = Arrays.copyOf(start, start.length + 4);
      invalidUtf8[start.length] = (byte) 0xC3;
      invalidUtf8[start.length + 1] = (byte) 0x28;
      invalidUtf8[start.length + 2] = '"';
      invalidUtf8[start.length + 3] = '}';
      send(producer, topic, new RecordHeaders(), invalidUtf8);
      deadLetterKinds.put("utf8", "MALFORMED_JSON");
      send(
          producer,
          topic,
          new RecordHeaders(),
          json("{" + OK + "\"rawnul\",\"subject\":\"a\u0000b\"}"));
      deadLetterKinds.put("rawnul", "MALFORMED_JSON");

      // valid events, however odd
      send(
          producer,
          topic,
          new RecordHeaders(),
          json("{" + OK + "\"nul\",\"subject\":\"a\\u0000b\"}"));
      StringBuilder extensions = new StringBuilder("{" + OK + "\"extensions\"");
      for (int i = 0; i < 3_000; i++) {
        extensions.append(",\"ext").append(i).append("\":\"v").append(i).append('"');
      }
      send(producer, topic, new RecordHeaders(), json(extensions.append('}').toString()));
      RecordHeaders manyHeaders = new RecordHeaders();
      for (int i = 0; i < 3_000; i++) {
        manyHeaders.add("x-trace-" + i, json("h" + i));
      }
      send(producer, topic, manyHeaders, json("{" + OK + "\"headers\"}"));
      RecordHeaders binary = new RecordHeaders();
      binary.add("ce_specversion", json("1.0"));
      binary.add("ce_id", json("binary-extensions"));
      binary.add("ce_source", json("/hostile"));
      binary.add("ce_type", json("t"));
      binary.add("content-type", json("application/json"));
      for (int i = 0; i < 3_000; i++) {
        binary.add("ce_ext" + i, json("v" + i));
      }
      send(producer, topic, binary, json("{\"status\":\"ok\"}"));
    }

    // the way a user runs it, with a heap far smaller than the default
    Path log = dir.resolve("run.log");
    Process run =
        startJar(List.of("-Xmx256m"), args("run", "pipelines/cloudevents-append.yaml", topic), log);
    assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("reading 309 records").contains("304 rows written, 5 dead letters");

    List<Record> rows = rows(table("cloudevents"));
    assertThat(rows).hasSize(304);
    assertThat(rows.stream().map(r -> r.getField("source") + "/" + r.getField("id")).distinct())
        .hasSize(304);
    Map<String, Record> odd = new TreeMap<>();
    rows.stream()
        .filter(r -> "/hostile".equals(r.getField("source")))
        .forEach(r -> odd.put((String) r.getField("id"), r));
    assertThat(odd).containsOnlyKeys("nul", "extensions", "headers", "binary-extensions");
    assertThat(odd.get("nul").getField("subject")).isEqualTo("a\u0000b");
    assertThat((Map<?, ?>) odd.get("extensions").getField("extensions")).hasSize(3_000);
    assertThat((Map<?, ?>) odd.get("binary-extensions").getField("extensions")).hasSize(3_000);

    Map<String, String> kinds = new TreeMap<>();
    for (Record dead : rows(table("cloudevents_dlq"))) {
      String value =
          StandardCharsets.ISO_8859_1.decode((ByteBuffer) dead.getField("value")).toString();
      // each broken event but the random bytes carries its name as its id
      String id =
          deadLetterKinds.keySet().stream()
              .filter(name -> value.contains("\"" + name + "\""))
              .findFirst()
              .orElse("random");
      kinds.put(id, (String) dead.getField("error_kind"));
    }
    assertThat(kinds).isEqualTo(deadLetterKinds);
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, RecordHeaders headers, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, 0, null, null, value, headers)).get();
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
