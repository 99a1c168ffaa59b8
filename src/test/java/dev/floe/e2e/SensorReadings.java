package dev.floe.e2e;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The sensor readings of the registry tests: three versions of their Avro schema (v2 adds a field
 * and widens an int, v3 makes a long a string), readings of each, and raw records sent to a topic.
 */
final class SensorReadings {
  private SensorReadings() {}

  static final String V1 =
      """
      {"type":"record","name":"Reading","namespace":"dev.floe.test","fields":[
       {"name":"sensorId","type":"string"},
       {"name":"reading","type":"int"},
       {"name":"status","type":{"type":"enum","name":"Status","symbols":["OK","FAIL"]}},
       {"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}},
       {"name":"day","type":{"type":"int","logicalType":"date"}},
       {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
       {"name":"tags","type":{"type":"array","items":"string"}},
       {"name":"attrs","type":{"type":"map","values":"string"}},
       {"name":"location","type":["null",{"type":"record","name":"Location","fields":[
         {"name":"lat","type":"double"},{"name":"lon","type":"double"}]}],"default":null}
      ]}""";

  /** v1 with {@code reading} widened to long and a new optional field {@code battery}. */
  static final String V2 =
      V1.replace(
              "{\"name\":\"reading\",\"type\":\"int\"}", "{\"name\":\"reading\",\"type\":\"long\"}")
          .replace(
              "{\"name\":\"sensorId\",\"type\":\"string\"},",
              "{\"name\":\"sensorId\",\"type\":\"string\"},"
                  + "{\"name\":\"battery\",\"type\":[\"null\",\"double\"],\"default\":null},");

  /** v2 with {@code reading} a string: a change the table cannot take. */
  static final String V3 =
      V2.replace(
          "{\"name\":\"reading\",\"type\":\"long\"}", "{\"name\":\"reading\",\"type\":\"string\"}");

  /** A reading of {@code schema} (v1, v2 or v3): sensor {@code s-<n>}, its fields from n. */
  static GenericRecord reading(Schema schema, int n, long reading) {
    GenericData.Record r = new GenericData.Record(schema);
    r.put("sensorId", "s-" + n);
    r.put(
        "reading",
        schema.getField("reading").schema().getType() == Schema.Type.INT ? (int) reading : reading);
    r.put(
        "status",
        new GenericData.EnumSymbol(schema.getField("status").schema(), n % 2 == 0 ? "OK" : "FAIL"));
    r.put("at", (1_795_000_000_000L + n) * 1000);
    r.put("day", (int) LocalDate.of(2026, 11, 1).plusDays(n % 28).toEpochDay());
    r.put("price", ByteBuffer.wrap(BigDecimal.valueOf(n * 101L, 2).unscaledValue().toByteArray()));
    r.put("tags", List.of("t" + n, "all"));
    r.put("attrs", Map.of("room", "r" + n));
    Schema location = schema.getField("location").schema().getTypes().get(1);
    GenericData.Record l = new GenericData.Record(location);
    l.put("lat", n + 0.5);
    l.put("lon", -n - 0.5);
    r.put("location", l);
    return r;
  }

  /** The data of the reference pipeline's CloudEvents (its declared fields), as an Avro record. */
  static final String DEVICE_DATA =
      """
      {"type":"record","name":"SensorData","fields":[
       {"name":"deviceId","type":"string"},
       {"name":"temperature","type":"double"},
       {"name":"humidity","type":"int"},
       {"name":"status","type":{"type":"enum","name":"S","symbols":["ok","hot"]}},
       {"name":"tags","type":{"type":"array","items":"string"}},
       {"name":"firmware","type":"string"}]}""";

  /**
   * {@code n} binary-mode CloudEvents {@code avro-<i>} whose data is a {@link #DEVICE_DATA} record
   * under schema {@code id} (content-type application/avro), then one structured-mode JSON event
   * {@code json-1} with the same fields.
   */
  static void sendCloudEventsWithAvroData(String topic, int id, Schema data, int n)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = BrokerAndWarehouse.rawProducer()) {
      for (int i = 0; i < n; i++) {
        GenericData.Record r = new GenericData.Record(data);
        r.put("deviceId", "dev-" + i);
        r.put("temperature", 20.25 + i);
        r.put("humidity", 40 + i);
        r.put("status", new GenericData.EnumSymbol(data.getField("status").schema(), "ok"));
        r.put("tags", List.of("a" + i));
        r.put("firmware", "1.2");
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(topic, null, null, RegistryServer.wire(id, r));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", "avro-" + i);
        header(record, "ce_source", "/sensors/avro");
        header(record, "ce_type", "reading");
        header(record, "ce_time", "2026-11-24T10:00:00Z");
        header(record, "content-type", "application/avro");
        producer.send(record).get();
      }
      String json =
          """
          {"specversion":"1.0","id":"json-1","source":"/sensors/json","type":"reading",\
          "time":"2026-11-24T10:00:00Z","data":{"deviceId":"dev-j","temperature":1.5,\
          "humidity":3,"status":"ok","tags":[]}}""";
      producer.send(new ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  /** The schema of the keyed test's Avro keys. */
  static final String KEY =
      """
      {"type":"record","name":"Key","fields":[
       {"name":"site","type":"string"},{"name":"n","type":"int"}]}""";

  /**
   * Readings {@code s-0}..{@code s-2} of {@code value} keyed by Avro keys {@code site-<i>}, then
   * {@code s-3} with no key and {@code s-4} with a key that is not in the wire format.
   */
  static void sendKeyed(String topic, int keyId, Schema keySchema, int valueId, Schema value)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = BrokerAndWarehouse.rawProducer()) {
      for (int i = 0; i < 3; i++) {
        GenericData.Record key = new GenericData.Record(keySchema);
        key.put("site", "site-" + i);
        key.put("n", i);
        byte[] reading = RegistryServer.wire(valueId, reading(value, i, i));
        producer.send(new ProducerRecord<>(topic, RegistryServer.wire(keyId, key), reading)).get();
      }
      byte[] unkeyed = RegistryServer.wire(valueId, reading(value, 3, 3));
      producer.send(new ProducerRecord<>(topic, null, unkeyed)).get();
      byte[] plainKey = "plain".getBytes(StandardCharsets.UTF_8);
      byte[] reading = RegistryServer.wire(valueId, reading(value, 4, 4));
      producer.send(new ProducerRecord<>(topic, plainKey, reading)).get();
    }
  }

  /** Raw {@code values} to {@code topic}, spread over its partitions in turn. */
  static void send(String topic, List<byte[]> values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = BrokerAndWarehouse.rawProducer()) {
      int partitions = producer.partitionsFor(topic).size();
      for (int i = 0; i < values.size(); i++) {
        producer.send(new ProducerRecord<>(topic, i % partitions, null, values.get(i))).get();
      }
    }
  }

  static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  static Record first(List<Record> rows, String id) {
    return rows.stream()
        .filter(r -> id.equals(r.getField("sensorId")) || id.equals(r.getField("deviceId")))
        .findFirst()
        .orElseThrow();
  }
}
