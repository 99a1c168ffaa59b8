package dev.floe.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.commit.Offsets;
import dev.floe.commit.OffsetsToCommit;
import dev.floe.source.KafkaRange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offsets a batch commits, from its plan and from what it read. */
class OffsetsReadTest {
  private static final Offsets BEFORE =
      Offsets.of(Map.of("t", Map.of(0, 10L, 1, 20L, 9, 5L), "other", Map.of(0, 3L)));
  private static final List<KafkaRange> RANGES =
      List.of(new KafkaRange("t", 0, 10, 50), new KafkaRange("t", 1, 20, 30));

  @Test
  void readToTheEndsTheRangesEndsAreCommittedAndTheRestKept() {
    OffsetsToCommit offsets = new OffsetsRead(BEFORE, RANGES, ReadEnd.PLANNED_END);
    Offsets after = offsets.after(Map.of());
    assertThat(after)
        .isEqualTo(Offsets.of(Map.of("t", Map.of(0, 50L, 1, 30L, 9, 5L), "other", Map.of(0, 3L))));
    assertThat(offsets.records(after)).isEqualTo(50);
    assertThat(offsets.unchanged(after)).isFalse();
  }

  @Test
  void stoppedEarlyTheHighestOffsetReadDecidesAndAPartitionWithNothingReadStays() {
    OffsetsToCommit offsets = new OffsetsRead(BEFORE, RANGES, ReadEnd.MAY_STOP_EARLY);
    Offsets after = offsets.after(Map.of(0, 24L));
    assertThat(after.partitions("t")).containsEntry(0, 25L).containsEntry(1, 20L);
    assertThat(offsets.records(after)).isEqualTo(15);
    assertThat(offsets.unchanged(after)).isFalse();

    Offsets nothing = offsets.after(Map.of());
    assertThat(offsets.unchanged(nothing)).isTrue();
    assertThat(offsets.records(nothing)).isZero();
    // a record past the range (never read, but never trusted either) does not move past its end
    assertThat(offsets.after(Map.of(0, 99L)).next("t", 0)).isEqualTo(50L);
  }

  @Test
  void aFirstBatchStartsFromNothing() {
    OffsetsToCommit offsets =
        new OffsetsRead(Offsets.NONE, List.of(new KafkaRange("t", 0, 0, 0)), ReadEnd.PLANNED_END);
    assertThat(offsets.unchanged(offsets.after(Map.of()))).isTrue();
    assertThat(offsets.after(Map.of()).toJson()).isEqualTo("{\"t\":{\"0\":0}}");
  }
}
