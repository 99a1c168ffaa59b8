package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import dev.floe.sink.OffsetsJson;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The append pipeline on the embedded Flink and local Spark profiles: same table, same answer. */
class RunnersIT extends BrokerAndWarehouse {
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  private int run(String profile, String topic) {
    return run("pipelines/cloudevents-append.yaml", topic, "--profile", profile);
  }

  private Table table() {
    return table("cloudevents");
  }

  @ParameterizedTest
  @ValueSource(strings = {"runner-profiles/flink-local.yaml", "runner-profiles/spark-local.yaml"})
  void eachRunnerWritesEveryEventOnceAndResumes(String profile) throws Exception {
    String topic = "runner-" + Path.of(profile).getFileName().toString().replace(".yaml", "");
    kafka.createTopic(topic, 3);
    SampleEvents.produce(kafka.bootstrapServers(),
        SampleEvents.generate(topic, 0, 1_000, START, Duration.ofHours(6), 1));
    assertThat(run(profile, topic)).isZero();
    assertExactlyOnce(table(), 1_000);
    Snapshot first = table().currentSnapshot();
    assertThat(first.summary())
        .containsEntry("added-records", "1000")
        .containsEntry("floe.kafka.offsets", OffsetsJson.write(endOffsets(topic, 3)));

    SampleEvents.produce(kafka.bootstrapServers(),
        SampleEvents.generate(topic, 1_000, 300, START.plus(Duration.ofHours(7)),
            Duration.ofHours(1), 2));
    assertThat(run(profile, topic)).isZero();
    assertExactlyOnce(table(), 1_300);
    Snapshot second = table().currentSnapshot();
    assertThat(second.parentId()).isEqualTo(first.snapshotId());
    assertThat(second.summary())
        .containsEntry("added-records", "300")
        .containsEntry("floe.kafka.offsets", OffsetsJson.write(endOffsets(topic, 3)));
    // one commit per batch: two batches, two snapshots
    assertThat(table().snapshots()).hasSize(2);
  }
}
