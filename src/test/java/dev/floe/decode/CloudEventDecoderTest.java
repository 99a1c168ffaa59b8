package dev.floe.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.config.CloudEventColumns;
import dev.floe.config.FieldType;
import dev.floe.config.InputConfig;
import dev.floe.config.StartingOffsets;
import dev.floe.deadletter.DeadLetters.Kind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class CloudEventDecoderTest {
  private static final String STRUCTURED =
      """
      {"specversion":"1.0","id":"e1","source":"/sensors/a","type":"reading",
       "time":"2026-11-24T10:15:00.123456+02:00","datacontenttype":"application/json",
       "subject":"dev-1","region":"eu","priority":3,
       "data":{"deviceId":"dev-1","temperature":21.5,"humidity":40,"status":"ok",
               "tags":["a","b"],"extra":{"nested":[1,2]}}}""";

  private static InputConfig input(boolean typed, boolean keepJson) {
    return input(typed, keepJson, 1 << 20);
  }

  private static InputConfig input(boolean typed, boolean keepJson, long maxValueBytes) {
    LinkedHashMap<String, FieldType> fields = new LinkedHashMap<>();
    if (typed) {
      fields.put("deviceId", FieldType.of(FieldType.Kind.STRING));
      fields.put("temperature", FieldType.of(FieldType.Kind.DOUBLE));
      fields.put("humidity", FieldType.of(FieldType.Kind.INT));
      fields.put("status", FieldType.of(FieldType.Kind.STRING));
      fields.put("tags", FieldType.parse("array<string>").orElseThrow());
    }
    return new InputConfig(
        "in",
        "cloudevents",
        "b:9092",
        "t",
        Map.of(),
        StartingOffsets.EARLIEST,
        null,
        fields,
        keepJson,
        true,
        maxValueBytes,
        false);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Row decode(CloudEventDecoder d, RecordHeaders headers, String value)
      throws DecodeException {
    return d.decode("t", 2, 17L, 1_700_000_000_000L, headers, utf8("k"), utf8(value));
  }

  @Test
  void structuredModeWithTypedDataAndTheRawJson() throws Exception {
    RecordHeaders h = new RecordHeaders();
    h.add("content-type", utf8("application/cloudevents+json; charset=UTF-8"));
    Row row = decode(new CloudEventDecoder(input(true, true)), h, STRUCTURED);

    assertThat(row.getString("id")).isEqualTo("e1");
    assertThat(row.getString("time")).isEqualTo("2026-11-24T10:15:00.123456+02:00");
    assertThat(row.getString("datacontenttype")).isEqualTo("application/json");
    assertThat(row.getString("dataschema")).isNull();
    assertThat(row.getMap("extensions")).isEqualTo(Map.of("region", "eu", "priority", "3"));
    assertThat(row.getString("deviceId")).isEqualTo("dev-1");
    assertThat(row.getDouble("temperature")).isEqualTo(21.5);
    assertThat(row.getInt32("humidity")).isEqualTo(40);
    assertThat(row.getArray("tags")).containsExactly("a", "b");
    assertThat(row.getString("data"))
        .isEqualTo(
            "{\"deviceId\":\"dev-1\",\"temperature\":21.5,\"humidity\":40,\"status\":\"ok\",\n"
                + "         \"tags\":[\"a\",\"b\"],\"extra\":{\"nested\":[1,2]}}");
    assertThat(row.getString("_kafka_topic")).isEqualTo("t");
    assertThat(row.getInt32("_kafka_partition")).isEqualTo(2);
    assertThat(row.getInt64("_kafka_offset")).isEqualTo(17L);
    assertThat(row.getDateTime("_kafka_timestamp").getMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(row.getBytes("_kafka_key")).isEqualTo(utf8("k"));
  }

  @Test
  void binaryModeReadsHeadersAndTheValueAsData() throws Exception {
    RecordHeaders h = new RecordHeaders();
    Map.of(
            "ce_specversion",
            "1.0",
            "ce_id",
            "e2",
            "ce_source",
            "/sensors/b",
            "ce_type",
            "reading",
            "ce_time",
            "2026-11-24T10:15:00Z",
            "ce_traceparent",
            "00-abc",
            "content-type",
            "application/json")
        .forEach((k, v) -> h.add(k, utf8(v)));
    Row row =
        decode(
            new CloudEventDecoder(input(true, false)),
            h,
            "{\"deviceId\":\"dev-2\",\"temperature\":19,\"humidity\":55,\"tags\":[]}");

    assertThat(row.getSchema().hasField("data")).isFalse();
    assertThat(row.getString("source")).isEqualTo("/sensors/b");
    assertThat(row.getString("datacontenttype")).isEqualTo("application/json");
    assertThat(row.getMap("extensions")).isEqualTo(Map.of("traceparent", "00-abc"));
    assertThat(row.getDouble("temperature")).isEqualTo(19.0);
    assertThat(row.getString("status")).isNull();
    assertThat(row.getArray("tags")).isEmpty();
  }

  @Test
  void untypedDataStaysJsonText() throws Exception {
    Row row =
        decode(
            new CloudEventDecoder(input(false, true)),
            new RecordHeaders(),
            "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\"t\",\"data\":\"hi\"}");
    assertThat(row.getString("data")).isEqualTo("\"hi\"");
  }

  private static void assertDeadLetter(String value, Kind kind, String message) {
    CloudEventDecoder d = new CloudEventDecoder(input(true, false, 150));
    assertThatThrownBy(() -> decode(d, new RecordHeaders(), value))
        .isInstanceOf(DecodeException.class)
        .hasMessage(message)
        .extracting(e -> ((DecodeException) e).kind, InstanceOfAssertFactories.type(Kind.class))
        .isEqualTo(kind);
  }

  @Test
  void badRecordsNameTheirKind() {
    String ok = "\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\"t\"";
    assertDeadLetter(
        "{\"id\": ",
        Kind.MALFORMED_JSON,
        "not valid JSON: Unexpected end-of-input within/between Object entries");
    assertDeadLetter(
        "{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\"}",
        Kind.MISSING_ATTRIBUTE,
        "required attribute 'id' is missing");
    assertDeadLetter(
        "{" + ok.replace("1.0", "0.3") + "}",
        Kind.UNSUPPORTED_SPECVERSION,
        "specversion '0.3' is not supported; Floe reads CloudEvents 1.0");
    assertDeadLetter(
        "{" + ok + ",\"time\":\"yesterday\"}",
        Kind.INVALID_TIME,
        "attribute 'time' is not an RFC 3339 timestamp: 'yesterday'");
    assertDeadLetter(
        "{" + ok + ",\"data\":{\"humidity\":\"high\"}}",
        Kind.DATA_TYPE_MISMATCH,
        "data.humidity: expected int, found the string \"high\"");
    assertDeadLetter(
        "{" + ok + ",\"data\":{\"tags\":[1]}}",
        Kind.DATA_TYPE_MISMATCH,
        "data.tags[]: expected string, found 1");
    assertDeadLetter("", Kind.EMPTY_VALUE, "the record has an empty value");
    assertDeadLetter(
        "{" + ok + ",\"data\":\"" + "x".repeat(100) + "\"}",
        Kind.TOO_LARGE,
        "the value is 164 bytes, over the limit of 150 (inputs[].maxValueBytes); stored truncated,"
            + " value_size holds the real size");
    assertDeadLetter(
        "[1,2]", Kind.MALFORMED_JSON, "a structured-mode CloudEvent must be a JSON object");
  }

  @Test
  void theSchemaOrdersAttributesDataAndKafkaMetadata() {
    assertThat(CloudEventSchema.of(input(true, false)).getFieldNames())
        .isEqualTo(
            List.of(
                "specversion",
                "id",
                "source",
                "type",
                "time",
                "datacontenttype",
                "dataschema",
                "subject",
                "extensions",
                "deviceId",
                "temperature",
                "humidity",
                "status",
                "tags",
                "_kafka_topic",
                "_kafka_partition",
                "_kafka_offset",
                "_kafka_timestamp",
                "_kafka_key"));
  }

  /** Records written to break a reader: each a dead letter or, if it is a valid event, a row. */
  @Test
  void hostileRecordsAreDeadLettersOrRows() throws Exception {
    String ok = "\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\"t\"";
    CloudEventDecoder d = new CloudEventDecoder(input(true, false, 4 << 20));
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(
            () -> decode(d, new RecordHeaders(), "{" + ok + ",\"data\":{\"extra\":" + deep + "}}"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining(
            "not valid JSON: Depth (1001) exceeds the maximum allowed nesting depth (1000)");
    String digits = "1".repeat(200_000);
    assertThatThrownBy(
            () ->
                decode(
                    d,
                    new RecordHeaders(),
                    "{" + ok + ",\"data\":{\"temperature\":" + digits + "}}"))
        .isInstanceOf(DecodeException.class)
        .hasMessage("not valid JSON: Number length (200000) exceeds the maximum length (1000)");
    byte[] random = new byte[4096];
    new java.util.Random(7).nextBytes(random);
    RecordHeaders structured = new RecordHeaders();
    structured.add("content-type", utf8("application/cloudevents+json"));
    assertThatThrownBy(() -> d.decode("t", 0, 1L, 0L, structured, null, random))
        .isInstanceOf(DecodeException.class)
        .extracting(e -> ((DecodeException) e).kind, InstanceOfAssertFactories.type(Kind.class))
        .isEqualTo(Kind.MALFORMED_JSON);
    byte[] invalidUtf8 =
        ("{" + ok + ",\"subject\":\"xy\",\"region\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] value = java.util.Arrays.copyOf(invalidUtf8, invalidUtf8.length + 4);
    value[invalidUtf8.length] = (byte) 0xC3;
    value[invalidUtf8.length + 1] = (byte) 0x28;
    value[invalidUtf8.length + 2] = '"';
    value[invalidUtf8.length + 3] = '}';
    assertThatThrownBy(() -> d.decode("t", 0, 1L, 0L, new RecordHeaders(), null, value))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("Invalid UTF-8");

    byte[] rawNul = ("{" + ok + ",\"subject\":\"x\u0000y\"}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> d.decode("t", 0, 1L, 0L, new RecordHeaders(), null, rawNul))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not valid JSON: Illegal unquoted character ((CTRL-CHAR, code 0))");

    // valid events, however odd: a NUL in a string, thousands of extension attributes and headers
    Row nul = decode(d, new RecordHeaders(), "{" + ok + ",\"subject\":\"x\\u0000y\"}");
    assertThat(nul.getString("subject")).isEqualTo("x\u0000y");
    StringBuilder many = new StringBuilder("{" + ok);
    for (int i = 0; i < 5_000; i++) {
      many.append(",\"ext").append(i).append("\":\"v").append(i).append('"');
    }
    Row extensions = decode(d, new RecordHeaders(), many.append('}').toString());
    assertThat(extensions.<String, String>getMap(CloudEventColumns.EXTENSIONS)).hasSize(5_000);
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < 5_000; i++) {
      headers.add("x-header-" + i, utf8("h" + i));
    }
    assertThat(decode(d, headers, "{" + ok + "}").getString("id")).isEqualTo("e");
  }
}
