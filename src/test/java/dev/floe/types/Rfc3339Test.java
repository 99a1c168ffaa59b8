package dev.floe.types;

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
        .hasMessage(
            "'2026-11-24T10:15:00.123456789Z' has nanoseconds, and a timestamp column"
                + " holds microseconds; keep the column a string to preserve them");
    assertThatThrownBy(
            () ->
                dev.floe.transform.SetType.cast(
                        null,
                        dev.floe.config.FieldType.of(dev.floe.config.FieldType.Kind.TIMESTAMP))
                    .apply(Instant.ofEpochSecond(0, 1)))
        .hasMessageContaining("has nanoseconds");
    assertThat(Rfc3339.isValid("2026-11-24T10:15:00")).isFalse();
  }

  @Test
  void theFastPathAgreesWithJavaTimeOnEveryLayoutItTakes() {
    String[] texts = {
      "2026-11-24T10:15:00Z",
      "2026-11-24t10:15:00z",
      "2026-11-24 10:15:00.5Z",
      "2024-02-29T23:59:59.999999+14:00",
      "1969-12-31T23:59:59.000001-00:30",
      "2026-11-24T10:15:00.123456000-08:00",
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      "2026-11-24T10:15:00.1234567Z"
    };
    for (String t : texts) {
      assertThat(Rfc3339.parseCanonical(t)).as(t).isNotNull();
      assertThat(Rfc3339.parseCanonical(t))
          .as(t)
          .isEqualTo(
              java.time.OffsetDateTime.parse(t.toUpperCase(java.util.Locale.ROOT).replace(' ', 'T'))
                  .toInstant());
    }
  }

  @Test
  void leavesEverythingElseToJavaTime() {
    // invalid, or valid in a layout the fast path does not take: java.time decides
    String[] texts = {
      "2026-02-29T10:15:00Z", "2026-13-01T10:15:00Z", "2026-11-24T24:00:00Z",
      "2026-11-24T10:60:00Z", "2026-11-24T10:15:60Z", "2026-11-24T10:15:00.Z",
      "2026-11-24T10:15:00+5:30", "2026-11-24T10:15:00+05:30:15", "2026-11-24T10:15Z",
      "2026-11-24T10:15:00.1234567890Z", "2026-11-24T10:15:00", " 2026-11-24T10:15:00Z",
      "2026-11-24T10:15:00+18:00", "+12026-11-24T10:15:00Z"
    };
    for (String t : texts) {
      assertThat(Rfc3339.parseCanonical(t)).as(t).isNull();
    }
    assertThat(Rfc3339.isValid("2026-02-29T10:15:00Z")).isFalse();
    assertThat(Rfc3339.isValid("2026-11-24T10:15:00.1234567890Z")).isFalse();
    assertThat(Rfc3339.parseMicros(" 2026-11-24T10:15:00+18:00 "))
        .isEqualTo(Instant.parse("2026-11-23T16:15:00Z"));
  }
}
