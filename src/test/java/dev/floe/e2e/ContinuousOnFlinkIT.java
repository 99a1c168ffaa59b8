package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;

/**
 * {@link ContinuousIT} on the Flink runner ({@code runner-profiles/flink-local.yaml}), and a task
 * that fails inside the running job: Flink restarts it from its checkpoint, and each window is
 * committed once.
 */
class ContinuousOnFlinkIT extends ContinuousIT {
  @Override
  String profile() {
    return "runner-profiles/flink-local.yaml";
  }

  @Test
  void aFailedCommitRestartsTheJobFromItsCheckpointAndEachWindowCommitsOnce() throws Exception {
    String topic = "continuous-failure";
    kafka.createTopic(topic, 2);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            topic, 0, 400, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(1), 9));
    Path marker = dir.resolve("commit-failed");
    Path log = dir.resolve("failure.log");
    Process p =
        startJar(
            List.of("-Dfloe.test.fail-once-at=before-commit:" + marker),
            args(
                "run",
                "pipelines/cloudevents-append.yaml",
                topic,
                "--trigger-duration",
                "3s",
                "--max-read-time",
                "30s"),
            log);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(marker).exists();
    assertThat(out).contains("floe.test.fail-once-at: failing this attempt at before-commit");
    assertExactlyOnce(table("cloudevents"), 400);
    Set<String> batches = new HashSet<>();
    for (Snapshot s : table("cloudevents").snapshots()) {
      assertThat(batches.add(s.summary().get("floe.batch-id")))
          .as("one commit per window")
          .isTrue();
    }
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
  }
}
