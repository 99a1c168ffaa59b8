package dev.floe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleEventsTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void theBenchShapeIsStructuredJsonOfTenSourcesAndAbout400Bytes() {
    List<SampleEvents.Event> events =
        SampleEvents.generate(
            SampleEvents.Shape.BENCH, "t", 0, 2_000, START, Duration.ofHours(24), 1);

    assertThat(events).noneMatch(SampleEvents.Event::binary);
    assertThat(events.stream().map(SampleEvents.Event::source).collect(Collectors.toSet()))
        .hasSize(10);
    double meanBytes =
        events.stream().mapToInt(e -> e.record().value().length).average().orElseThrow();
    assertThat(meanBytes).isBetween(360.0, 440.0);
    String first =
        new String(events.get(0).record().value(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(first)
        .startsWith("{\"specversion\":\"1.0\",\"id\":\"evt-0\"")
        .containsPattern("\"traceparent\":\"00-[0-9a-f]{32}-[0-9a-f]{16}-01\"")
        .contains("\"sequence\":\"0\"");
  }

  @Test
  void theMixedShapeAlternatesModesOverSixSources() {
    List<SampleEvents.Event> events =
        SampleEvents.generate("t", 0, 100, START, Duration.ofHours(1), 1);

    assertThat(events.stream().filter(SampleEvents.Event::binary).count()).isEqualTo(50);
    Set<String> sources =
        events.stream().map(SampleEvents.Event::source).collect(Collectors.toSet());
    assertThat(sources).containsExactlyInAnyOrderElementsOf(SampleEvents.SOURCES);
    assertThat(new String(events.get(0).record().value(), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("traceparent");
  }
}
