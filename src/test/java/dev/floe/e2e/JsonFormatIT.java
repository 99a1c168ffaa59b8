package dev.floe.e2e;

import static dev.floe.e2e.SensorReadings.first;
import static dev.floe.e2e.SensorReadings.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** Plain JSON values ({@code format: json}) with declared fields, the way a user runs them. */
class JsonFormatIT extends BrokerAndWarehouse {
  @Test
  void plainJsonValuesLandThroughFormatJson() throws Exception {
    String topic = "readings-json";
    kafka.createTopic(topic, 1);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      values.add(
          ("{\"deviceId\":\"d-"
                  + i
                  + "\",\"temperature\":"
                  + (20 + i)
                  + ".5,\"humidity\":"
                  + i
                  + ",\"at\":\"2026-11-24T10:00:0"
                  + (i % 10)
                  + "Z\",\"other\":[1,2]}")
              .getBytes(StandardCharsets.UTF_8));
    }
    values.add("{\"deviceId\":\"bad\",\"humidity\":\"wet\"}".getBytes(StandardCharsets.UTF_8));
    values.add("[1,2,3]".getBytes(StandardCharsets.UTF_8));
    send(topic, values);
    assertThat(run("pipelines/json-append.yaml", topic)).isEqualTo(0);
    Table table = table("readings_json");
    List<Record> rows = rows(table);
    assertThat(rows).hasSize(30);
    Record r = first(rows, "d-3");
    assertThat(r.getField("temperature")).isEqualTo(23.5);
    assertThat(r.getField("humidity")).isEqualTo(3);
    assertThat(((OffsetDateTime) r.getField("at")).toString()).isEqualTo("2026-11-24T10:00:03Z");
    assertThat(table.schema().findField("data")).isNull();
    List<Record> dead = rows(table("readings_json_dlq"));
    assertThat(dead)
        .extracting(d -> d.getField("error_message"))
        .containsExactlyInAnyOrder(
            "humidity: expected int, found the string \"wet\"",
            "the value is not a JSON object, but fields are declared");
  }
}
