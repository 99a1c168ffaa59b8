package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations in the spellings pipelines use, Spark's among them. */
class DurationsTest {
  @Test
  void shortSparkAndIsoSpellings() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("20 seconds")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("1 second")).isEqualTo(Duration.ofSeconds(1));
    assertThat(Durations.parse("1 minute")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("5 mins")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2 HOURS")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("250 milliseconds")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("soon")).isNull();
    assertThat(Durations.parse("20 fortnights")).isNull();
  }

  @Test
  void describedAsPeopleReadThem() {
    assertThat(Durations.describe(Duration.ofSeconds(20))).isEqualTo("20 s");
    assertThat(Durations.describe(Duration.ofMinutes(2))).isEqualTo("2 min");
    assertThat(Durations.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
  }
}
