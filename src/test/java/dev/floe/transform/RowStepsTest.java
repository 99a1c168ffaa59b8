package dev.floe.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.config.PipelineConfig;
import dev.floe.config.PipelineLoader;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.decode.CloudEventDecoder;
import dev.floe.decode.CloudEventSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * When a pipeline's steps run as one function per record ({@link StepsPlan#rowSteps}, used with
 * distribution none), and that they give what the steps' Beam transforms give.
 */
class RowStepsTest {
  private static final String SQL = "SELECT *, time as _timestamp FROM input_cloudevents";
  private static final BatchTag BATCH = new BatchTag("cloudevents-append", "b7");

  private static PipelineConfig spec(String steps) throws Exception {
    String text = Files.readString(Path.of("pipelines/cloudevents-append.yaml"));
    int from = text.indexOf("      - name: cloudevents\n");
    int to = text.indexOf("    sink:\n");
    return new PipelineLoader(Map.of("KAFKA_BOOTSTRAP", "b:9092")::get)
        .parse("p.yaml", text.substring(0, from) + steps + text.substring(to), List.of());
  }

  private static final String SET_TYPE =
      """
              functions:
                - name: set_type
                  columns:
                    _timestamp: timestamp
                    time: timestamp
      """;

  private static Row event(PipelineConfig spec, String json, long offset) throws Exception {
    return new CloudEventDecoder(spec.input())
        .decode(
            "t", 2, offset, 0L, new RecordHeaders(), null, json.getBytes(StandardCharsets.UTF_8));
  }

  private static StepsPlan plan(PipelineConfig spec) {
    return StepsPlan.of(spec, CloudEventSchema.of(spec.input()));
  }

  private static Row apply(List<RowStep> steps, Row row, List<Row> dead) {
    for (RowStep s : steps) {
      row = s.apply(row, dead::add);
      if (row == null) {
        return null;
      }
    }
    return row;
  }

  @Test
  void theReferenceStepIsAProjectionThenItsCasts() throws Exception {
    PipelineConfig spec = spec("      - name: cloudevents\n        sql: " + SQL + "\n" + SET_TYPE);
    StepsPlan steps = StepsPlan.of(spec, CloudEventSchema.of(spec.input()));
    assertThat(steps.runsAsOneFunction()).isTrue();
    List<RowStep> rowSteps = steps.rowSteps(BATCH);
    assertThat(rowSteps).hasSize(2);

    List<Row> dead = new ArrayList<>();
    Row out =
        apply(
            rowSteps,
            event(
                spec,
                "{\"specversion\":\"1.0\",\"id\":\"a\","
                    + "\"source\":\"s\",\"type\":\"t\",\"time\":\"2026-11-24T10:15:00.5+02:00\"}",
                4),
            dead);
    assertThat(out.getSchema()).isEqualTo(steps.outputSchema());
    assertThat(out.getString("id")).isEqualTo("a");
    assertThat(out.<Instant>getLogicalTypeValue("_timestamp", Instant.class))
        .isEqualTo(Instant.parse("2026-11-24T08:15:00.500Z"))
        .isEqualTo(out.<Instant>getLogicalTypeValue("time", Instant.class));
    assertThat(dead).isEmpty();

    Row nanos =
        apply(
            rowSteps,
            event(
                spec,
                "{\"specversion\":\"1.0\",\"id\":\"n\","
                    + "\"source\":\"s\",\"type\":\"t\",\"time\":\"2026-11-24T00:00:00.123456789Z\"}",
                9),
            dead);
    assertThat(nanos).isNull();
    assertThat(dead)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getString("error_kind")).isEqualTo("CAST_FAILED");
              assertThat(d.getString("stage")).isEqualTo("cloudevents");
              assertThat(d.getString("batch_id")).isEqualTo("b7");
              assertThat(d.getInt32("partition")).isEqualTo(2);
              assertThat(d.getInt64("offset")).isEqualTo(9L);
              assertThat(d.getString("error_message"))
                  .startsWith("set_type time: ")
                  .contains("has nanoseconds");
            });
  }

  @Test
  void aStatementBeamSqlRunsKeepsTheStepsAsBeamTransforms() throws Exception {
    PipelineConfig spec =
        spec(
            "      - name: cloudevents\n        sql: "
                + SQL
                + " WHERE _kafka_offset > 1\n"
                + SET_TYPE);
    assertThat(plan(spec).runsAsOneFunction()).isFalse();
  }

  @Test
  void stepsRunAsOneFunctionOnlyWhenEachReadsTheOneBefore() throws Exception {
    String first =
        "      - name: first\n        sql: SELECT *, id AS event_id FROM" + " input_cloudevents\n";
    assertThat(
            plan(spec(
                    first
                        + "      - name: cloudevents\n        sql: SELECT *,"
                        + " time AS _timestamp FROM first\n"
                        + SET_TYPE))
                .rowSteps(BATCH))
        .hasSize(3);
    // the second step reads the input, not the first step: the steps are not one chain
    assertThat(
            plan(spec(first + "      - name: cloudevents\n        sql: " + SQL + "\n" + SET_TYPE))
                .runsAsOneFunction())
        .isFalse();
  }
}
