package dev.floe.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  @Test
  void anyOffsetAndPrecisionDownToMicroseconds() {
    assertThat(Rfc3339.parseMicros("2026-11-24T10:15:00.123456+05:30"))
        .isEqualTo(Instant.parse("2026-11-24T04:45:00.123456Z"));
    assertThat(Rfc3339.parseMicros("2026-11-24 10:15:00z"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:00Z"));
    assertThat(Rfc3339.parseMicros("2026-11-24T10:15:00.123456000-08:00"))
        .isEqualTo(Instant.parse("2026-11-24T18:15:00.123456Z"));
  }

  @Test
  void refusesWhatAMicrosecondColumnWouldTruncate() {
    assertThatThrownBy(() -> Rfc3339.parseMicros("2026-11-24T10:15:00.123456789Z"))
        .hasMessage("'2026-11-24T10:15:00.123456789Z' has nanoseconds, and a timestamp column"
            + " holds microseconds; keep the column a string to preserve them");
    assertThatThrownBy(() -> SetType.cast(null, dev.floe.spec.FieldType.of(
            dev.floe.spec.FieldType.Kind.TIMESTAMP)).apply(Instant.ofEpochSecond(0, 1)))
        .hasMessageContaining("has nanoseconds");
    assertThat(Rfc3339.isValid("2026-11-24T10:15:00")).isFalse();
  }
}
