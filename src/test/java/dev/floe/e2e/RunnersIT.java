package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.broker.LocalKafka;
import dev.floe.cli.Main;
import dev.floe.demo.SampleEvents;
import dev.floe.sink.OffsetsJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The append pipeline on the embedded Flink and local Spark profiles: same table, same answer. */
class RunnersIT {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static LocalKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private int run(String profile, String topic) {
    return Main.commandLine().execute("run", "pipelines/cloudevents-append.yaml",
        "--profile", profile,
        "--set", "inputs[0].kafka.bootstrapServers=" + kafka.bootstrapServers(),
        "--set", "inputs[0].kafka.topic=" + topic,
        "--set", "outputs[0].catalog.warehouse=" + dir.resolve("warehouse"),
        "--set", "streaming.checkpointLocation=" + dir.resolve("checkpoints"),
        "--set", "explain=false");
  }

  private Table table() {
    return new HadoopCatalog(new Configuration(), dir.resolve("warehouse").toUri().toString())
        .loadTable(TableIdentifier.of("sys01", "cloudevents"));
  }

  private static Map<String, Map<Integer, Long>> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
    for (int p = 0; p < 3; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new TreeMap<>();
    try (var admin = kafka.admin()) {
      admin.listOffsets(specs).all().get().forEach((tp, i) -> ends.put(tp.partition(), i.offset()));
    }
    return Map.of(topic, ends);
  }

  private void assertExactlyOnce(int events) throws IOException {
    List<String> keys = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table()).select("source", "id")
        .build()) {
      rows.forEach(r -> keys.add(r.getField("source") + "/" + r.getField("id")));
    }
    assertThat(keys).hasSize(events);
    assertThat(new HashSet<>(keys)).hasSize(events);
  }

  @ParameterizedTest
  @ValueSource(strings = {"runner-profiles/flink-local.yaml", "runner-profiles/spark-local.yaml"})
  void eachRunnerWritesEveryEventOnceAndResumes(String profile) throws Exception {
    String topic = "runner-" + Path.of(profile).getFileName().toString().replace(".yaml", "");
    kafka.createTopic(topic, 3);
    SampleEvents.produce(kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 1_000, START, Duration.ofHours(6), 1));
    assertThat(run(profile, topic)).isZero();
    assertExactlyOnce(1_000);
    Snapshot first = table().currentSnapshot();
    assertThat(first.summary())
        .containsEntry("added-records", "1000")
        .containsEntry("floe.kafka.offsets", OffsetsJson.write(endOffsets(topic)));

    SampleEvents.produce(kafka.bootstrapServers(),
        SampleEvents.generate(topic, 1_000, 300, START.plus(Duration.ofHours(7)),
            Duration.ofHours(1), 2));
    assertThat(run(profile, topic)).isZero();
    assertExactlyOnce(1_300);
    Snapshot second = table().currentSnapshot();
    assertThat(second.parentId()).isEqualTo(first.snapshotId());
    assertThat(second.summary())
        .containsEntry("added-records", "300")
        .containsEntry("floe.kafka.offsets", OffsetsJson.write(endOffsets(topic)));
    // one commit per batch: two batches, two snapshots
    assertThat(table().snapshots()).hasSize(2);
  }
}
