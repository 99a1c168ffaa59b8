package dev.floe.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ReadRangeTest {
  @Test
  void recordsKeepTheirKafkaTimestampType() {
    assertThat(ReadRange.timestampType(TimestampType.CREATE_TIME))
        .isEqualTo(KafkaTimestampType.CREATE_TIME);
    assertThat(ReadRange.timestampType(TimestampType.LOG_APPEND_TIME))
        .isEqualTo(KafkaTimestampType.LOG_APPEND_TIME);
    assertThat(ReadRange.timestampType(TimestampType.NO_TIMESTAMP_TYPE))
        .isEqualTo(KafkaTimestampType.NO_TIMESTAMP_TYPE);
  }
}
