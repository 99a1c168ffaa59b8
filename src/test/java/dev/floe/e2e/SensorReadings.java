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
