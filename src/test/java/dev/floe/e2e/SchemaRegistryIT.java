package dev.floe.e2e;

import static dev.floe.e2e.SensorReadings.V1;
import static dev.floe.e2e.SensorReadings.V2;
import static dev.floe.e2e.SensorReadings.V3;
import static dev.floe.e2e.SensorReadings.first;
import static dev.floe.e2e.SensorReadings.reading;
import static dev.floe.e2e.SensorReadings.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro values in the registry's wire format against a real registry (Apicurio) and a real broker:
 * schema versions that add a field and widen an int land once in one table that gains the column
 * when the first batch carrying it commits; an incompatible version's records are dead letters.
 */
class SchemaRegistryIT extends BrokerAndWarehouse {
  private static final String PIPELINE = "pipelines/avro-append.yaml";

  private static RegistryServer registry;
  private static Path registryDir;

  @BeforeAll
  static void startRegistry(@TempDir Path dir) throws Exception {
    registryDir = dir;
    registry = RegistryServer.start(dir);
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    registry.close();
  }

  @Test
  void versionsLandOnceTheTableGainsColumnsAndIncompatibleRecordsAreDeadLetters() throws Exception {
    String topic = "sensor-readings";
    kafka.createTopic(topic, 2);
    Schema v1 = new Schema.Parser().parse(V1);
    int id1 = registry.register(topic + "-value", v1);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.add(RegistryServer.wire(id1, reading(v1, i, i)));
    }
    values.add(RegistryServer.wire(9_999, reading(v1, 100, 100)));
    values.add("{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
    send(topic, values);

    assertThat(run(PIPELINE, topic, registryUrl())).isEqualTo(0);
    Table table = table("sensor_readings");
    Types.StructType v1Columns = table.schema().asStruct();
    assertThat(v1Columns.field("reading").type()).isEqualTo(Types.IntegerType.get());
    assertThat(v1Columns.field("at").type()).isEqualTo(Types.TimestampType.withZone());
    assertThat(v1Columns.field("day").type()).isEqualTo(Types.DateType.get());
    assertThat(v1Columns.field("price").type()).isEqualTo(Types.DecimalType.of(9, 2));
    assertThat(v1Columns.field("status").type()).isEqualTo(Types.StringType.get());
    assertThat(v1Columns.field("location").type().isStructType()).isTrue();
    assertThat(v1Columns.field("battery")).isNull();
    List<Record> rows = rows(table);
    assertThat(rows).hasSize(100);
    Record first =
        rows.stream().filter(r -> "s-7".equals(r.getField("sensorId"))).findFirst().get();
    assertThat(first.getField("reading")).isEqualTo(7);
    assertThat(first.getField("status")).isEqualTo("FAIL");
    assertThat(first.getField("price")).isEqualTo(new BigDecimal("7.07"));
    assertThat(first.getField("day")).isEqualTo(LocalDate.of(2026, 11, 8));
    assertThat(((OffsetDateTime) first.getField("at")).toInstant().toEpochMilli())
        .isEqualTo(1_795_000_000_000L + 7);
    assertThat(first.getField("tags")).isEqualTo(List.of("t7", "all"));
    assertThat(first.getField("attrs")).isEqualTo(Map.of("room", "r7"));
    assertThat(((Record) first.getField("location")).getField("lat")).isEqualTo(7.5);
    assertThat(deadLetterKinds()).containsExactlyInAnyOrder("UNKNOWN_SCHEMA", "MALFORMED_AVRO");
    long v1Snapshot = table.currentSnapshot().snapshotId();

    // v2: a new optional field, reading widened to long
    Schema v2 = new Schema.Parser().parse(V2);
    int id2 = registry.register(topic + "-value", v2);
    values.clear();
    for (int i = 0; i < 50; i++) {
      GenericRecord r = reading(v2, 200 + i, 5_000_000_000L + i);
      r.put("battery", 0.5 + i);
      values.add(RegistryServer.wire(id2, r));
    }
    send(topic, values);
    assertThat(run(PIPELINE, topic, registryUrl())).isEqualTo(0);
    table.refresh();
    assertThat(table.schema().findField("battery").type()).isEqualTo(Types.DoubleType.get());
    assertThat(table.schema().findField("reading").type()).isEqualTo(Types.LongType.get());
    Snapshot v2Batch = table.currentSnapshot();
    // the column arrived with the first batch that carries it: older snapshots keep the old schema
    assertThat(v2Batch.schemaId()).isEqualTo(table.schema().schemaId());
    assertThat(table.snapshot(v1Snapshot).schemaId()).isNotEqualTo(v2Batch.schemaId());
    rows = rows(table);
    assertThat(rows).hasSize(150);
    assertThat(
            rows.stream()
                .map(r -> r.getField("sensorId"))
                .collect(java.util.stream.Collectors.toSet()))
        .hasSize(150);
    Record wide =
        rows.stream().filter(r -> "s-201".equals(r.getField("sensorId"))).findFirst().get();
    assertThat(wide.getField("reading")).isEqualTo(5_000_000_001L);
    assertThat(wide.getField("battery")).isEqualTo(1.5);
    assertThat(first(rows, "s-7").getField("battery")).isNull();
    assertThat(first(rows, "s-7").getField("reading")).isEqualTo(7L);
    try (CloseableIterable<Record> old =
        IcebergGenerics.read(table).useSnapshot(v1Snapshot).build()) {
      Record r = old.iterator().next();
      assertThat(r.struct().field("battery")).isNull();
    }

    // v3: reading becomes a string; its records are dead letters, v2 records go on landing
    Schema v3 = new Schema.Parser().parse(V3);
    int id3 = registry.register(topic + "-value", v3);
    values.clear();
    for (int i = 0; i < 20; i++) {
      GenericRecord r = reading(v3, 300 + i, 0);
      r.put("reading", "high");
      values.add(RegistryServer.wire(id3, r));
    }
    for (int i = 0; i < 10; i++) {
      values.add(RegistryServer.wire(id2, reading(v2, 400 + i, i)));
    }
    send(topic, values);
    assertThat(run(PIPELINE, topic, registryUrl())).isEqualTo(0);
    table.refresh();
    assertThat(rows(table)).hasSize(160);
    assertThat(table.schema().findField("reading").type()).isEqualTo(Types.LongType.get());
    List<Record> mismatches =
        rows(deadLetterTable()).stream()
            .filter(r -> "SCHEMA_MISMATCH".equals(r.getField("error_kind")))
            .toList();
    assertThat(mismatches).hasSize(20);
    assertThat((String) mismatches.get(0).getField("error_message"))
        .isEqualTo(
            "schema id "
                + id3
                + ": field 'reading' is string in the writer's schema and long in the table's;"
                + " string cannot be promoted to long");
    assertThat(table.currentSnapshot().summary().get("floe.kafka.offsets"))
        .isEqualTo(endOffsets(topic, 2).toJson());

    // nothing new: a rerun commits nothing
    long snapshots = count(table.snapshots());
    assertThat(run(PIPELINE, topic, registryUrl())).isEqualTo(0);
    table.refresh();
    assertThat(count(table.snapshots())).isEqualTo(snapshots);

    // an independent reader: Spark SQL reads the evolved table, and the first snapshot as it was
    String readings = "floe.sys01.sensor_readings";
    List<SparkSql.Result> spark =
        SparkSql.query(
            dir.resolve("warehouse"),
            dir.resolve("spark.log"),
            "SELECT count(*), count(DISTINCT sensorId), count(battery), max(reading),"
                + " typeof(max(reading)) FROM "
                + readings,
            "SELECT sensorId, reading, battery, price, unix_millis(at), day, location.lat,"
                + " array_join(tags, ','), status FROM "
                + readings
                + " WHERE sensorId IN ('s-7', 's-201') ORDER BY sensorId",
            "SELECT count(*) FROM " + readings + " VERSION AS OF " + v1Snapshot,
            "SELECT * FROM " + readings + " VERSION AS OF " + v1Snapshot + " LIMIT 1");
    assertThat(spark.get(0).rows())
        .containsExactly(List.of("160", "160", "50", "5000000049", "bigint"));
    assertThat(spark.get(1).rows())
        .containsExactly(
            List.of(
                "s-201",
                "5000000001",
                "1.5",
                "203.01",
                "1795000000201",
                "2026-11-06",
                "201.5",
                "t201,all",
                "FAIL"),
            List.of(
                "s-7",
                "7",
                "null",
                "7.07",
                "1795000000007",
                "2026-11-08",
                "7.5",
                "t7,all",
                "FAIL"));
    assertThat(spark.get(2).rows()).containsExactly(List.of("100"));
    assertThat(spark.get(3).columns()).contains("reading", "price").doesNotContain("battery");
  }

  @Test
  void withSchemaEvolutionFailANewFieldFailsTheBatch() throws Exception {
    String topic = "evolution-fail";
    kafka.createTopic(topic, 1);
    String[] fail = {
      "--set",
      "inputs[0].schemaRegistryUrl=" + registry.url(),
      "--set",
      "steps[0].sink[0].outputOptions.schemaEvolution=fail"
    };
    Schema v1 = new Schema.Parser().parse(V1);
    int id1 = registry.register(topic + "-value", v1);
    send(topic, List.of(RegistryServer.wire(id1, reading(v1, 1, 1))));
    assertThat(run(PIPELINE, topic, fail)).isEqualTo(0);
    Schema v2 = new Schema.Parser().parse(V2);
    int id2 = registry.register(topic + "-value", v2);
    send(topic, List.of(RegistryServer.wire(id2, reading(v2, 2, 2))));
    Run failed = runCapturingStderr(PIPELINE, topic, fail);
    assertThat(failed.stderr())
        .contains(
            "table sys01.sensor_readings exists with a schema the pipeline's rows cannot be"
                + " written to: reading: the table has int, the rows long; battery double (not in"
                + " the table). outputOptions.schemaEvolution is fail");
    assertThat(failed.exit()).isEqualTo(4);
    assertThat(rows(table("sensor_readings"))).hasSize(1);
  }

  @Test
  void avroKeysBecomeAStructColumn() throws Exception {
    String topic = "keyed-readings";
    kafka.createTopic(topic, 1);
    Schema v1 = new Schema.Parser().parse(V1);
    int valueId = registry.register(topic + "-value", v1);
    Schema keySchema = new Schema.Parser().parse(SensorReadings.KEY);
    int keyId = registry.register(topic + "-key", keySchema);
    SensorReadings.sendKeyed(topic, keyId, keySchema, valueId, v1);
    assertThat(
            run(
                PIPELINE,
                topic,
                "--set",
                "inputs[0].schemaRegistryUrl=" + registry.url(),
                "--set",
                "inputs[0].options.keyFormat=avro"))
        .isEqualTo(0);
    List<Record> rows = rows(table("sensor_readings"));
    assertThat(rows).hasSize(4);
    Record keyed = first(rows, "s-2");
    assertThat(((Record) keyed.getField("_kafka_key")).getField("site")).isEqualTo("site-2");
    assertThat(((Record) keyed.getField("_kafka_key")).getField("n")).isEqualTo(2);
    assertThat(first(rows, "s-3").getField("_kafka_key")).isNull();
    assertThat(rows(deadLetterTable()))
        .extracting(r -> r.getField("error_message"))
        .containsExactly(
            "the key is not in the schema registry's wire format: it must start with a zero byte"
                + " and a 4-byte schema id");
  }

  @Test
  void anUnreachableRegistryFailsTheRunAndCommitsNothing() throws Exception {
    String topic = "registry-down";
    kafka.createTopic(topic, 1);
    send(topic, List.of(new byte[] {0, 0, 0, 0, 1, 2}));
    int port = ServerProcess.freePort();
    Run down =
        runCapturingStderr(
            PIPELINE,
            topic,
            "--set",
            "inputs[0].schemaRegistryUrl=http://127.0.0.1:" + port + "/apis/ccompat/v7");
    assertThat(down.exit()).isEqualTo(4);
    assertThat(down.stderr())
        .contains(
            "the schema registry at http://127.0.0.1:"
                + port
                + "/apis/ccompat/v7 did not answer for subject registry-down-value: ")
        .contains("nothing was committed");
    assertThat(catalog().tableExists(TableIdentifier.of("sys01", "sensor_readings"))).isFalse();
  }

  @Test
  void aRegistryOnHttpsIsTrustedThroughTheConfiguredTruststoreOnly() throws Exception {
    String topic = "tls-registry";
    kafka.createTopic(topic, 1);
    Schema v1 = new Schema.Parser().parse(V1);
    int id = registry.register(topic + "-value", v1);
    send(
        topic,
        List.of(
            RegistryServer.wire(id, reading(v1, 1, 1)),
            RegistryServer.wire(id, reading(v1, 2, 2))));
    String https = "inputs[0].schemaRegistryUrl=" + registry.httpsUrl();

    Run untrusted = runCapturingStderr(PIPELINE, topic, "--set", https);
    assertThat(untrusted.exit()).isEqualTo(4);
    assertThat(untrusted.stderr())
        .contains(
            "the TLS handshake with the schema registry at "
                + registry.httpsUrl()
                + " failed for subject tls-registry-value (")
        .contains(
            "the JVM's default truststore does not hold the certificate of the registry or of its"
                + " CA. Set inputs[].options.registry.ssl.truststore.location (and"
                + " registry.ssl.truststore.password) to a truststore that does; nothing was"
                + " committed");
    assertThat(catalog().tableExists(TableIdentifier.of("sys01", "sensor_readings"))).isFalse();

    Run trusted =
        runCapturingStderr(
            PIPELINE,
            topic,
            "--set",
            https,
            "--set",
            "inputs[0].options.registry.ssl.truststore.location="
                + registryDir.resolve("client-trusts.p12"),
            "--set",
            "inputs[0].options.registry.ssl.truststore.password=" + RegistryServer.TLS_PASSWORD);
    assertThat(trusted.exit()).as(trusted.stderr()).isEqualTo(0);
    assertThat(trusted.stderr()).doesNotContain(RegistryServer.TLS_PASSWORD);
    assertThat(rows(table("sensor_readings")))
        .extracting(r -> r.getField("sensorId"))
        .containsExactlyInAnyOrder("s-1", "s-2");
  }

  @Test
  void theReferencePipelineReadsCloudEventsWhoseDataIsAvro() throws Exception {
    String topic = "cloudevents-avro";
    kafka.createTopic(topic, 1);
    Schema data = new Schema.Parser().parse(SensorReadings.DEVICE_DATA);
    int id = registry.register(topic + "-value", data);
    SensorReadings.sendCloudEventsWithAvroData(topic, id, data, 20);
    Path log = dir.resolve("reference.log");
    Process run =
        startJar(
            List.of(),
            args(
                "run",
                "pipelines/cloudevents-append.yaml",
                topic,
                "--set",
                "inputs[0].schemaRegistryUrl=" + registry.url()),
            log);
    assertThat(run.waitFor()).as(java.nio.file.Files.readString(log)).isEqualTo(0);
    assertThat(java.nio.file.Files.readString(log))
        .doesNotContain("warning")
        .doesNotContain("WARN");
    List<Record> rows = rows(table("cloudevents"));
    assertThat(rows).hasSize(21);
    Record avro = rows.stream().filter(r -> "avro-7".equals(r.getField("id"))).findFirst().get();
    assertThat(avro.getField("deviceId")).isEqualTo("dev-7");
    assertThat(avro.getField("temperature")).isEqualTo(27.25);
    assertThat(avro.getField("humidity")).isEqualTo(47);
    assertThat(avro.getField("status")).isEqualTo("ok");
    assertThat(avro.getField("tags")).isEqualTo(List.of("a7"));
    assertThat(avro.getField("datacontenttype")).isEqualTo("application/avro");
    Record json = rows.stream().filter(r -> "json-1".equals(r.getField("id"))).findFirst().get();
    assertThat(json.getField("deviceId")).isEqualTo("dev-j");
    assertThat(json.getField("humidity")).isEqualTo(3);
  }

  private static long count(Iterable<?> items) {
    return java.util.stream.StreamSupport.stream(items.spliterator(), false).count();
  }

  private String[] registryUrl() {
    return new String[] {"--set", "inputs[0].schemaRegistryUrl=" + registry.url()};
  }

  private Table deadLetterTable() {
    return table("sensor_readings_dlq");
  }

  private List<String> deadLetterKinds() throws Exception {
    return rows(deadLetterTable()).stream().map(r -> (String) r.getField("error_kind")).toList();
  }
}
