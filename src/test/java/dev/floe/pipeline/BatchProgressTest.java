package dev.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchProgressTest {
  @Test
  void saysHowFarTheBatchIsAndHowLongItWillTake() {
    assertThat(
            BatchProgress.line(
                "append: batch 1", 5_000_000, 1_200_000, 1_150_000, Duration.ofSeconds(20)))
        .isEqualTo(
            "append: batch 1: read 1,200,000 of 5,000,000 records (24%), wrote 1,150,000 rows,"
                + " 60,000 records/s, about 63 s left to read");
  }

  @Test
  void onceEverythingIsReadItIsWritingTheLastFiles() {
    assertThat(BatchProgress.line("b", 1_000, 1_000, 990, Duration.ofSeconds(2)))
        .isEqualTo(
            "b: read 1,000 of 1,000 records (100%), wrote 990 rows, 500 records/s,"
                + " writing the last files");
  }

  @Test
  void onATerminalTheLineFitsEightyColumns() {
    String line =
        BatchProgress.shortLine(
            "append: batch 1", 5_000_000, 1_200_000, 1_150_000, Duration.ofSeconds(20));
    assertThat(line)
        .isEqualTo("append: batch 1: 24% of 5,000,000 · 1,150,000 written · 60,000/s · 63 s left");
    assertThat(line.length()).isLessThan(80);
  }
}
