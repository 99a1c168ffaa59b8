package dev.floe.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.deadletter.DeadLetters.BatchTag;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** Dead letters counted by kind: the value the committer gets, and a Beam counter per kind. */
class DeadLetterCountsTest {
  private static final BatchTag BATCH = new BatchTag("p", "b");

  // a plain pipeline on the DirectRunner: PAssert fails its run when an assertion fails
  private final Pipeline pipeline = Pipeline.create();

  private static Row letter(int partition, long offset, DeadLetters.Kind kind) {
    return DeadLetters.of(
        BATCH, "t", partition, offset, 0L, null, null, new byte[] {1}, 10, kind, "m", "decode");
  }

  private PCollection<String> seen(PCollectionView<DeadLetterCounts> view) {
    return pipeline
        .apply("Once", Impulse.create())
        .apply("Read view", ParDo.of(new ReadView(view)).withSideInputs(view));
  }

  private static final class ReadView extends DoFn<byte[], String> {
    private final PCollectionView<DeadLetterCounts> view;

    ReadView(PCollectionView<DeadLetterCounts> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      DeadLetterCounts d = c.sideInput(view);
      c.output(d.total() + " | " + d.describe() + " | " + d.samples() + " | " + d.summary());
    }
  }

  @Test
  void countsByKindWithTheFirstThreePositions() {
    PCollection<Row> dead =
        pipeline.apply(
            Create.of(
                    List.of(
                        letter(1, 9, DeadLetters.Kind.MALFORMED_JSON),
                        letter(0, 40, DeadLetters.Kind.MALFORMED_JSON),
                        letter(0, 7, DeadLetters.Kind.INVALID_TIME),
                        letter(1, 2, DeadLetters.Kind.TOO_LARGE),
                        letter(0, 8, DeadLetters.Kind.MALFORMED_JSON)))
                .withRowSchema(DeadLetters.SCHEMA));
    PAssert.that(seen(DeadLetterCounts.of(dead)))
        .containsInAnyOrder(
            "5 | MALFORMED_JSON 3, INVALID_TIME 1, TOO_LARGE 1"
                + " | [t-0@7 (INVALID_TIME), t-0@8 (MALFORMED_JSON), t-0@40 (MALFORMED_JSON)]"
                + " | {floe.dead-letters=5, floe.dead-letters.INVALID_TIME=1,"
                + " floe.dead-letters.MALFORMED_JSON=3, floe.dead-letters.TOO_LARGE=1}");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertThat(counter(result, "dead_letters_malformed_json")).isEqualTo(3);
    assertThat(counter(result, "dead_letters_invalid_time")).isEqualTo(1);
    assertThat(counter(result, "dead_letters")).isEqualTo(5);
  }

  @Test
  void noDeadLettersIsZeroNotMissing() {
    PCollection<Row> dead =
        pipeline.apply(
            Create.empty(org.apache.beam.sdk.schemas.SchemaCoder.of(DeadLetters.SCHEMA)));
    PAssert.that(seen(DeadLetterCounts.of(dead)))
        .containsInAnyOrder("0 |  | [] | {floe.dead-letters=0}");
    pipeline.run().waitUntilFinish();
    assertThat(DeadLetterCounts.fromSummary(Map.of("floe.dead-letters", "0"))).isEmpty();
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named("floe", name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
