package dev.floe.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.commit.Committed;
import dev.floe.commit.Offsets;
import dev.floe.config.InputConfig;
import dev.floe.config.StartingOffsets;
import dev.floe.source.KafkaRange;
import dev.floe.source.TopicOffsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What a batch reads, from what the table committed and what the topic holds: first runs from each
 * kind of starting offsets, partitions added later, offsets lost to retention, record caps.
 */
class BatchPlannerTest {
  private static final String TOPIC = "t";

  /** A topic whose partitions hold [beginning, end), and a record every 10 ms from time 0. */
  private static final class Topic implements TopicOffsets {
    final Map<Integer, long[]> partitions = new TreeMap<>();

    Topic partition(int p, long beginning, long end) {
      partitions.put(p, new long[] {beginning, end});
      return this;
    }

    @Override
    public List<TopicPartition> partitions(String topic) {
      return partitions.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
    }

    @Override
    public Map<TopicPartition, Long> beginning(List<TopicPartition> tps) {
      return tps.stream()
          .collect(Collectors.toMap(tp -> tp, tp -> partitions.get(tp.partition())[0]));
    }

    @Override
    public Map<TopicPartition, Long> end(List<TopicPartition> tps) {
      return tps.stream()
          .collect(Collectors.toMap(tp -> tp, tp -> partitions.get(tp.partition())[1]));
    }

    @Override
    public Map<TopicPartition, Long> atTime(List<TopicPartition> tps, long millis) {
      return tps.stream()
          .collect(
              Collectors.toMap(
                  tp -> tp,
                  tp -> {
                    long[] range = partitions.get(tp.partition());
                    return Math.min(range[1], Math.max(range[0], millis / 10));
                  }));
    }
  }

  private static InputConfig input(StartingOffsets starting, boolean failOnDataLoss) {
    return new InputConfig(
        "in",
        "cloudevents",
        "b:9092",
        TOPIC,
        Map.of(),
        starting,
        null,
        new LinkedHashMap<>(),
        true,
        failOnDataLoss,
        1 << 20,
        false);
  }

  private static Committed committed(Map<Integer, Long> offsets) {
    return new Committed("b0", 1L, Offsets.of(Map.of(TOPIC, offsets)));
  }

  private static List<String> ranges(BatchPlan plan) {
    return plan.ranges().stream()
        .map(r -> r.partition() + ":[" + r.from() + "," + r.to() + ")")
        .toList();
  }

  @Test
  void aFirstRunFromEarliestReadsEverythingThere() {
    Topic topic = new Topic().partition(0, 0, 100).partition(1, 20, 50);
    BatchPlan plan =
        BatchPlanner.plan(topic, input(StartingOffsets.EARLIEST, true), Committed.NONE, null, null);
    assertThat(ranges(plan)).containsExactly("0:[0,100)", "1:[20,50)");
    assertThat(plan.records()).isEqualTo(130);
    assertThat(plan.previousBatchId()).isNull();
    assertThat(plan.offsetsAfter()).isEqualTo(Offsets.of(Map.of(TOPIC, Map.of(0, 100L, 1, 50L))));
  }

  @Test
  void aFirstRunFromLatestReadsNothingAndAFirstRunFromATimeStartsThere() {
    Topic topic = new Topic().partition(0, 0, 100).partition(1, 0, 30);
    BatchPlan latest =
        BatchPlanner.plan(topic, input(StartingOffsets.LATEST, true), Committed.NONE, null, null);
    assertThat(latest.isEmpty()).isTrue();
    assertThat(latest.offsetsAfter()).isEqualTo(Offsets.of(Map.of(TOPIC, Map.of(0, 100L, 1, 30L))));

    StartingOffsets at =
        new StartingOffsets(StartingOffsets.Kind.TIMESTAMP, Instant.ofEpochMilli(500));
    BatchPlan fromTime = BatchPlanner.plan(topic, input(at, true), Committed.NONE, null, null);
    assertThat(ranges(fromTime)).containsExactly("0:[50,100)", "1:[30,30)");
  }

  @Test
  void laterRunsStartAtTheCommittedOffsetsAndNewPartitionsAtTheirBeginning() {
    Topic topic = new Topic().partition(0, 0, 100).partition(1, 0, 60).partition(2, 5, 40);
    // latest only decides the first run: a partition added since starts at its beginning
    BatchPlan plan =
        BatchPlanner.plan(
            topic,
            input(StartingOffsets.LATEST, true),
            committed(Map.of(0, 70L, 1, 60L)),
            null,
            null);
    assertThat(ranges(plan)).containsExactly("0:[70,100)", "1:[60,60)", "2:[5,40)");
    assertThat(plan.previousBatchId()).isEqualTo("b0");
    assertThat(plan.committed().partitions(TOPIC)).containsEntry(0, 70L);
  }

  @Test
  void offsetsLostToRetentionFailTheRunUnlessFailOnDataLossIsOff() {
    Topic topic = new Topic().partition(0, 80, 100);
    assertThatThrownBy(
            () ->
                BatchPlanner.plan(
                    topic,
                    input(StartingOffsets.EARLIEST, true),
                    committed(Map.of(0, 30L)),
                    null,
                    null))
        .hasMessage(
            "offsets 30 to 79 of t-0 were deleted by the topic's retention before this"
                + " pipeline read them. Set inputs[].options.failOnDataLoss: false to skip them (the"
                + " skipped range is recorded in the snapshot summary) and read from offset 80");
    BatchPlan plan =
        BatchPlanner.plan(
            topic, input(StartingOffsets.EARLIEST, false), committed(Map.of(0, 30L)), null, null);
    assertThat(ranges(plan)).containsExactly("0:[80,100)");
    assertThat(plan.skipped()).containsExactly(new KafkaRange(TOPIC, 0, 30, 80));
  }

  @Test
  void committedOffsetsPastTheEndMeanTheTopicWasRecreated() {
    Topic topic = new Topic().partition(0, 0, 10);
    assertThatThrownBy(
            () ->
                BatchPlanner.plan(
                    topic,
                    input(StartingOffsets.EARLIEST, true),
                    committed(Map.of(0, 30L)),
                    null,
                    null))
        .hasMessageStartingWith(
            "the table holds offset 30 for t-0, past the partition's end 10:"
                + " was the topic deleted and created again?");
  }

  @Test
  void aCapIsSharedByWhatEachPartitionHasWithTheRemainderToTheFullest() {
    Topic topic = new Topic().partition(0, 0, 700).partition(1, 0, 200).partition(2, 0, 101);
    BatchPlan plan =
        BatchPlanner.plan(topic, input(StartingOffsets.EARLIEST, true), Committed.NONE, 100L, null);
    assertThat(plan.records()).isEqualTo(100);
    assertThat(ranges(plan)).containsExactly("0:[0,70)", "1:[0,20)", "2:[0,10)");
    // floor shares 69 + 19 + 9 = 97 for 99 asked: one each to the partitions with the most left
    BatchPlan odd =
        BatchPlanner.plan(topic, input(StartingOffsets.EARLIEST, true), Committed.NONE, 99L, null);
    assertThat(odd.records()).isEqualTo(99);
    assertThat(ranges(odd)).containsExactly("0:[0,70)", "1:[0,20)", "2:[0,9)");
  }

  @Test
  void stopOffsetsCapEveryPartitionAndNeverGoBelowTheStart() {
    Topic topic = new Topic().partition(0, 0, 100).partition(1, 0, 100).partition(2, 0, 100);
    BatchPlan plan =
        BatchPlanner.plan(
            topic,
            input(StartingOffsets.EARLIEST, true),
            committed(Map.of(0, 10L, 1, 60L, 2, 0L)),
            null,
            Map.of(0, 50L, 1, 50L));
    // partition 2 was not there when the run started: nothing of it is read
    assertThat(ranges(plan)).containsExactly("0:[10,50)", "1:[60,60)", "2:[0,0)");
  }

  @Test
  void aCappedBatchKeepsItsIdAndSharesTheCapAndItsEndsBoundTheBatchesAfterIt() {
    Topic topic = new Topic().partition(0, 0, 300).partition(1, 0, 100);
    BatchPlan plan =
        BatchPlanner.plan(topic, input(StartingOffsets.EARLIEST, true), Committed.NONE, null, null);
    BatchPlan capped = plan.capped(200);
    assertThat(capped.batchId()).isEqualTo(plan.batchId());
    assertThat(ranges(capped)).containsExactly("0:[0,150)", "1:[0,50)");
    assertThat(plan.ends()).containsExactly(Map.entry(0, 300L), Map.entry(1, 100L));
    assertThat(plan.capped(1_000)).isEqualTo(plan);
  }
}
