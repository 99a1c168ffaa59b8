package dev.floe.transform;

import dev.floe.spec.FieldType;
import dev.floe.transform.DeadLetters.BatchTag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/** The reference job's steps on Beam: its SQL as written, then set_type to timestamps. */
public class StepsPipelineTest {
  private static final Schema INPUT = Schema.builder()
      .addNullableField("id", Schema.FieldType.STRING)
      .addNullableField("time", Schema.FieldType.STRING)
      .addNullableField("_kafka_topic", Schema.FieldType.STRING)
      .addNullableField("_kafka_partition", Schema.FieldType.INT32)
      .addNullableField("_kafka_offset", Schema.FieldType.INT64)
      .build();
  private static final BatchTag BATCH = new BatchTag("p", "b1");

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private PCollection<Row> input(Row... rows) {
    return pipeline.apply(Create.of(java.util.List.of(rows)).withRowSchema(INPUT));
  }

  private static Row row(String id, String time, long offset) {
    return Row.withSchema(INPUT).addValues(id, time, "t", 0, offset).build();
  }

  @Test
  public void referenceSqlThenSetTypeGivesMicrosecondTimestamps() {
    PCollection<Row> in = input(
        row("a", "2026-11-24T10:15:00.123456+02:00", 1),
        row("b", "2026-11-24t08:15:00z", 2),
        row("c", "not a time", 3),
        row("d", "2026-11-24T08:15:00.123456789Z", 4));
    PCollection<Row> selected = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in)
        .apply(new SqlStep("SELECT *, time as _timestamp FROM input_cloudevents", BATCH, "s", "t"));
    Map<String, FieldType> columns = new LinkedHashMap<>();
    columns.put("_timestamp", FieldType.of(FieldType.Kind.TIMESTAMP));
    columns.put("time", FieldType.of(FieldType.Kind.TIMESTAMP));
    PCollectionTuple typed = selected.apply(new SetType(columns, BATCH, "cloudevents"));

    PAssert.that(typed.get(SetType.ROWS)
            .apply("Rows", MapElements.into(TypeDescriptors.strings()).via(r -> r.getString("id") + " "
                + r.<Instant>getLogicalTypeValue("time", Instant.class) + " "
                + r.<Instant>getLogicalTypeValue("_timestamp", Instant.class))))
        .containsInAnyOrder(
            "a 2026-11-24T08:15:00.123456Z 2026-11-24T08:15:00.123456Z",
            "b 2026-11-24T08:15:00Z 2026-11-24T08:15:00Z");
    PAssert.that(typed.get(DeadLetters.TAG)
            .apply("Dead letters", MapElements.into(TypeDescriptors.strings()).via(r -> r.getString("error_kind")
                + " " + r.getInt64("offset") + " " + r.getString("stage") + ": "
                + r.getString("error_message"))))
        .containsInAnyOrder(
            "CAST_FAILED 3 cloudevents: set_type time: 'not a time' is not an RFC 3339"
                + " timestamp (e.g. 2026-11-24T10:15:00.123456Z)",
            "CAST_FAILED 4 cloudevents: set_type time: '2026-11-24T08:15:00.123456789Z'"
                + " has nanoseconds, and a timestamp column holds microseconds; keep the column a"
                + " string to preserve them");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aPureProjectionRunsWithoutBeamSqlWithBeamSqlsSchemaAndValues() {
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"),
        input(row("a", "x", 1), row("b", null, 2)));
    String sql = "SELECT *, time as _timestamp, id copy FROM input_cloudevents";
    org.assertj.core.api.Assertions.assertThat(SqlStep.isProjection(sql, tables)).isTrue();
    PCollection<Row> fast = tables.apply("fast", new SqlStep(sql, BATCH, "s", "t"));
    PCollection<Row> beam = tables.apply("beam",
        SqlTransform.query(SqlStep.effectiveSql(sql, tables)));
    org.assertj.core.api.Assertions.assertThat(fast.getSchema()).isEqualTo(beam.getSchema());
    for (PCollection<Row> out : java.util.List.of(fast, beam)) {
      PAssert.that(out.apply("Values " + out.getName(), MapElements
              .into(TypeDescriptors.strings())
              .via(r -> r.getSchema().getFieldNames() + " " + r.getValues())))
          .containsInAnyOrder(
              "[id, time, _kafka_topic, _kafka_partition, _kafka_offset, _timestamp, copy]"
                  + " [a, x, t, 0, 1, x, a]",
              "[id, time, _kafka_topic, _kafka_partition, _kafka_offset, _timestamp, copy]"
                  + " [b, null, t, 0, 2, null, b]");
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void arraysPassThroughWithTheirNullElements() {
    Schema schema = Schema.builder()
        .addNullableField("id", Schema.FieldType.STRING)
        .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING.withNullable(true)))
        .build();
    PCollection<Row> in = pipeline.apply(Create.of(
            Row.withSchema(schema).addValues("a", java.util.Arrays.asList("x", null)).build(),
            Row.withSchema(schema).addValues("b", null).build())
        .withRowSchema(schema));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    String sql = "SELECT *, tags AS labels FROM input_cloudevents";
    org.assertj.core.api.Assertions.assertThat(SqlStep.isProjection(sql, tables)).isTrue();
    PCollection<Row> fast = tables.apply("fast", new SqlStep(sql, BATCH, "s", "t"));
    // Beam SQL would declare the elements NOT NULL, and fail to encode ["x", null]
    org.assertj.core.api.Assertions.assertThat(fast.getSchema().getField("labels").getType())
        .isEqualTo(schema.getField("tags").getType());
    PAssert.that(fast.apply("Values", MapElements
            .into(TypeDescriptors.strings()).via(r -> String.valueOf(r.getValues()))))
        .containsInAnyOrder("[a, [x, null], [x, null]]", "[b, null, null]");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void statementsThatComputeAnythingRunThroughBeamSql() {
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"),
        input(row("a", "x", 1)));
    for (String sql : java.util.List.of(
        "SELECT id, time FROM input_cloudevents",
        "SELECT *, UPPER(id) AS up FROM input_cloudevents",
        "SELECT * FROM input_cloudevents WHERE _kafka_offset > 1",
        "SELECT *, nope AS n FROM input_cloudevents",
        "SELECT *, CAST(_kafka_offset AS VARCHAR) AS o FROM input_cloudevents")) {
      org.assertj.core.api.Assertions.assertThat(SqlStep.isProjection(sql, tables))
          .as(sql).isFalse();
    }
    org.assertj.core.api.Assertions.assertThat(
        SqlStep.isProjection("select * from input_cloudevents", tables)).isTrue();
    // the form alone, without planning: only what may be a projection is planned as one
    org.assertj.core.api.Assertions.assertThat(java.util.List.of(
            "SELECT *, UPPER(id) AS up FROM input_cloudevents",
            "SELECT * FROM input_cloudevents WHERE _kafka_offset > 1",
            "SELECT id, time FROM input_cloudevents",
            "SELECT *, nope AS n FROM input_cloudevents",
            "select *, `time` _timestamp from input_cloudevents"))
        .map(SqlStep::mayBeProjection).containsExactly(false, false, false, true, true);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void rowsASqlStepFailsOnBecomeDeadLettersAndTheRestPass() {
    PCollection<Row> in = input(row("1", "x", 5), row("two", "y", 6), row("3", "z", 7));
    SqlStep step = new SqlStep(
        "SELECT CAST(id AS INTEGER) AS n, _kafka_partition, _kafka_offset FROM input_cloudevents",
        BATCH, "numbers", "t");
    PCollection<Row> out = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in)
        .apply(step);
    PAssert.that(out.apply("Numbers", MapElements.into(TypeDescriptors.integers())
        .via(r -> r.getInt32("n")))).containsInAnyOrder(1, 3);
    org.assertj.core.api.Assertions.assertThat(step.deadLetters()).hasSize(1);
    PAssert.that(step.deadLetters().get(0).apply("Failed", MapElements
            .into(TypeDescriptors.strings())
            .via(r -> r.getString("error_kind") + " " + r.getString("topic") + "-"
                + r.getInt32("partition") + "@" + r.getInt64("offset") + " " + r.getString("stage")
                + " " + r.getString("pipeline_id") + "/" + r.getString("batch_id") + " "
                + r.getString("error_message").contains("two"))))
        .containsInAnyOrder("SQL_FAILED t-0@6 numbers p/b1 true");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void setTypeChangesTheSchema() {
    PCollectionTuple typed = input(row("a", "42", 1)).apply(
        new SetType(Map.of("time", FieldType.of(FieldType.Kind.LONG)), BATCH, "s"));
    PAssert.that(typed.get(SetType.ROWS)
            .apply(MapElements.into(TypeDescriptors.longs()).via(r -> r.getInt64("time"))))
        .containsInAnyOrder(42L);
    pipeline.run().waitUntilFinish();
    org.assertj.core.api.Assertions.assertThat(
            typed.get(SetType.ROWS).getSchema().getField("time").getType().getTypeName())
        .isEqualTo(Schema.TypeName.INT64);
  }

  @Test
  public void sqlStepsSeeEarlierStepsByName() {
    PCollection<Row> in = input(row("a", "x", 1), row("b", "y", 2), row("c", "z", 3));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    PCollection<Row> first = tables.apply("first", new SqlStep(
        "SELECT id, _kafka_offset FROM input_cloudevents WHERE _kafka_offset > 1", BATCH, "s", "t"));
    PCollection<Row> second = tables.and(new TupleTag<>("first"), first)
        .apply("second", SqlTransform.query("SELECT COUNT(*) AS n FROM first"));
    PAssert.that(second.apply(MapElements.into(TypeDescriptors.longs())
        .via(r -> r.getInt64("n")))).containsInAnyOrder(2L);
    pipeline.run().waitUntilFinish();
  }
}
