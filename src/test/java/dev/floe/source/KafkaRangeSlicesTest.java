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
    // 1,030,000 records / 32 = 32,187 < 50,000: slices of 50,000; partition 1 stays whole. The
    // last eighth (128,750 records) in the smallest slices: partition 1's 30,000 (too small to
    // cut) and two slices of partition 0, each cut into four of 12,500
    assertThat(slices)
        .filteredOn(s -> s.partition() == 1)
        .containsExactly(new KafkaRange("t", 1, 0, 30_000));
    List<KafkaRange> p0 = slices.stream().filter(s -> s.partition() == 0).toList();
    assertThat(p0).hasSize(26);
    assertThat(p0.stream().map(KafkaRange::count).toList())
        .containsOnly(12_500L, 50_000L)
        .filteredOn(c -> c == 12_500L)
        .hasSize(8);
    long next = 10;
    for (KafkaRange s : p0) {
      assertThat(s.from()).isEqualTo(next);
      next = s.to();
    }
    assertThat(next).isEqualTo(1_000_010);
  }

  @Test
  void capsTheNumberOfEvenSlicesAndCutsTheTailFiner() {
    List<KafkaRange> slices =
        KafkaRangeRead.slices(List.of(new KafkaRange("t", 0, 0, 10_000_003)), 50_000, 32);
    // 32 slices of 312,500; the four that hold the last eighth are cut into four each
    assertThat(slices).hasSize(28 + 16);
    assertThat(slices.stream().filter(s -> s.count() < 100_000)).hasSize(16);
    long next = 0;
    for (KafkaRange s : slices) {
      assertThat(s.from()).isEqualTo(next);
      next = s.to();
    }
    assertThat(next).isEqualTo(10_000_003);
  }

  @Test
  void keepsSmallRangesWholeAndSharesALoneLargerOne() {
    List<KafkaRange> small = List.of(new KafkaRange("t", 0, 5, 39_999));
    assertThat(KafkaRangeRead.slices(small, 50_000, 32)).isEqualTo(small);
    // one range of 99,994 records: four slices, so that two workers share it
    assertThat(KafkaRangeRead.slices(List.of(new KafkaRange("t", 0, 6, 100_000)), 50_000, 32))
        .containsExactly(
            new KafkaRange("t", 0, 6, 25_004),
            new KafkaRange("t", 0, 25_004, 50_003),
            new KafkaRange("t", 0, 50_003, 75_001),
            new KafkaRange("t", 0, 75_001, 100_000));
  }
}
