package dev.floe.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.config.ConfigException;
import dev.floe.config.PipelineConfig;
import dev.floe.config.PipelineLoader;
import dev.floe.decode.CloudEventSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Aggregating steps in continuous mode: a GROUP BY aggregates each window's rows, while Beam SQL's
 * event-time windows (TUMBLE, HOP, SESSION) are refused with the line, the key and what to write
 * instead; batch runs keep them.
 */
class WindowedSqlTest {
  private static final List<String> CONTINUOUS =
      List.of("streaming.triggerMode=ProcessingTime", "streaming.triggerDuration=5s");

  private static PipelineConfig config(String sql, List<String> overrides) throws Exception {
    String text = Files.readString(Path.of("pipelines/cloudevents-append.yaml"));
    int from = text.indexOf("      - name: cloudevents\n");
    int to = text.indexOf("    sink:\n");
    String steps = "      - name: cloudevents\n        sql: " + sql + "\n";
    return new PipelineLoader(Map.of("KAFKA_BOOTSTRAP", "b:9092")::get)
        .parse("p.yaml", text.substring(0, from) + steps + text.substring(to), overrides);
  }

  private static StepsPlan plan(PipelineConfig config) {
    return StepsPlan.of(config, CloudEventSchema.of(config.input()));
  }

  @Test
  void aTumblingWindowRunsInABatchButIsRefusedInAContinuousRun() throws Exception {
    String tumble =
        "SELECT source, TUMBLE_START(_kafka_timestamp, INTERVAL '1' MINUTE) AS window_start, COUNT(*) AS events FROM input_cloudevents"
            + " GROUP BY source, TUMBLE(_kafka_timestamp, INTERVAL '1' MINUTE)";
    StepsPlan batch = plan(config(tumble, List.of()));
    assertThat(batch.steps().get(0).sql().assignsWindows()).isTrue();
    assertThat(batch.outputSchema().getFieldNames())
        .containsExactly("source", "window_start", "events");

    PipelineConfig continuous = config(tumble, CONTINUOUS);
    int line = continuous.steps().get(0).line();
    assertThatThrownBy(() -> plan(continuous))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("p.yaml:" + line + ": steps.sequence.cloudevents.sql: TUMBLE, HOP")
        .hasMessageContaining("GROUP BY source, FLOOR(_kafka_timestamp TO MINUTE)");
  }

  @Test
  void aGroupByWithoutWindowsAndAnEventTimeBucketRunInAContinuousRun() throws Exception {
    StepsPlan perWindow =
        plan(
            config(
                "SELECT source, FLOOR(_kafka_timestamp TO MINUTE) AS event_minute,"
                    + " COUNT(*) AS events FROM input_cloudevents"
                    + " GROUP BY source, FLOOR(_kafka_timestamp TO MINUTE)",
                CONTINUOUS));
    assertThat(perWindow.steps().get(0).sql().assignsWindows()).isFalse();
    assertThat(perWindow.outputSchema().getFieldNames())
        .containsExactly("source", "event_minute", "events");
  }
}
