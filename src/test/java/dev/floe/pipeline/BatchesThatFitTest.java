package dev.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchesThatFitTest {
  @Test
  void aBatchHoldsAsManyRecordsAsTheHeapShareTakesAtTheirSize() {
    // 1,228 MB (60% of a 2 GB heap) and records of 468 bytes, as bench's structured events
    assertThat(BatchesThatFit.recordsThatFit(1_228L << 20, 468)).isEqualTo(1_100_556);
    assertThat(BatchesThatFit.recordsThatFit(1_228L << 20, 4_680)).isEqualTo(110_055);
  }

  @Test
  void tinyRecordsCountAsSixtyFourBytesAndHugeOnesStillMoveOn() {
    assertThat(BatchesThatFit.recordsThatFit(100L << 20, 3))
        .isEqualTo(BatchesThatFit.recordsThatFit(100L << 20, 64));
    assertThat(BatchesThatFit.recordsThatFit(1L << 20, 10_000_000)).isEqualTo(1_000);
  }
}
