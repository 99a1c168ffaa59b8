package dev.floe.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** Offsets as the table stores them, and the dead letters a rerun must not write twice. */
class OffsetsAndNotYetCommittedTest {
  @Test
  void offsetsRoundTripThroughTheirJsonInOrder() {
    Offsets offsets = Offsets.of(Map.of("b", Map.of(10, 5L, 2, 7L), "a", Map.of(0, 1L)));
    assertThat(offsets.toJson()).isEqualTo("{\"a\":{\"0\":1},\"b\":{\"2\":7,\"10\":5}}");
    assertThat(Offsets.fromJson(offsets.toJson())).isEqualTo(offsets);
    assertThat(offsets.toString()).isEqualTo("{a={0=1}, b={2=7, 10=5}}");
    assertThat(offsets.next("b", 10)).isEqualTo(5L);
    assertThat(offsets.next("b", 3)).isNull();
    assertThat(offsets.next("c", 0)).isNull();
    assertThat(offsets.with("c", 0, 9L).next("c", 0)).isEqualTo(9L);
    assertThat(offsets.next("c", 0)).as("immutable").isNull();
    assertThatThrownBy(() -> Offsets.fromJson("{not json"))
        .hasMessageStartingWith("floe.kafka.offsets is not valid JSON: {not json");
  }

  private static Row deadLetter(String topic, Integer partition, Long offset) {
    Row row =
        DeadLetters.of(
            new BatchTag("p", "b"),
            "t",
            0,
            0,
            0L,
            null,
            null,
            new byte[] {1},
            10,
            DeadLetters.Kind.MALFORMED_JSON,
            "m",
            "decode");
    return Row.fromRow(row)
        .withFieldValue("topic", topic)
        .withFieldValue("partition", partition)
        .withFieldValue("offset", offset)
        .build();
  }

  @Test
  void deadLettersBelowTheDeadLetterTablesOffsetsAreDropped() {
    NotYetCommitted filter = new NotYetCommitted(Offsets.of(Map.of("t", Map.of(0, 100L))));
    assertThat(filter.apply(deadLetter("t", 0, 99L))).isFalse();
    assertThat(filter.apply(deadLetter("t", 0, 100L))).isTrue();
    assertThat(filter.apply(deadLetter("t", 1, 5L))).as("another partition").isTrue();
    assertThat(filter.apply(deadLetter("u", 0, 5L))).as("another topic").isTrue();
    // a SQL step that dropped the Kafka columns: kept, as nothing says it was committed
    assertThat(filter.apply(deadLetter("t", null, null))).isTrue();
    assertThat(new NotYetCommitted(Offsets.NONE).apply(deadLetter("t", 0, 0L))).isTrue();
  }
}
