package dev.floe.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaRangeSlicesTest {
  @Test
  void cutsLargeRangesIntoContiguousSlicesCoveringEveryOffset() {
    List<KafkaRange> slices =
        KafkaRangeRead.slices(
            List.of(new KafkaRange("t", 0, 10, 1_000_010), new KafkaRange("t", 1, 0, 30_000)),
            50_000,
            32);
    // 1,030,000 records / 32 = 32,187 < 50,000: slices of 50,000; partition 1 stays whole
    assertThat(slices).filteredOn(s -> s.partition() == 0).hasSize(20);
    assertThat(slices)
        .filteredOn(s -> s.partition() == 1)
        .containsExactly(new KafkaRange("t", 1, 0, 30_000));
    long next = 10;
    for (KafkaRange s : slices.subList(0, 20)) {
      assertThat(s.from()).isEqualTo(next);
      assertThat(s.count()).isEqualTo(50_000);
      next = s.to();
    }
    assertThat(next).isEqualTo(1_000_010);
  }

  @Test
  void capsTheNumberOfSlices() {
    List<KafkaRange> slices =
        KafkaRangeRead.slices(List.of(new KafkaRange("t", 0, 0, 10_000_003)), 50_000, 32);
    assertThat(slices).hasSize(32);
    assertThat(slices.get(0).from()).isZero();
    assertThat(slices.get(31).to()).isEqualTo(10_000_003);
    assertThat(slices.stream().mapToLong(KafkaRange::count).sum()).isEqualTo(10_000_003);
  }

  @Test
  void keepsSmallRangesWhole() {
    List<KafkaRange> ranges = List.of(new KafkaRange("t", 0, 5, 99_999));
    assertThat(KafkaRangeRead.slices(ranges, 50_000, 32)).isEqualTo(ranges);
  }
}
