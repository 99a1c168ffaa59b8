package dev.floe.transform;

import dev.floe.config.FieldType;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The reference job's steps on Beam: its SQL as written, then set_type to timestamps. */
class StepsPipelineTest {
  private static final Schema INPUT =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.STRING)
          .addNullableField("time", Schema.FieldType.STRING)
          .addNullableField("_kafka_topic", Schema.FieldType.STRING)
          .addNullableField("_kafka_partition", Schema.FieldType.INT32)
          .addNullableField("_kafka_offset", Schema.FieldType.INT64)
          .build();
  private static final BatchTag BATCH = new BatchTag("p", "b1");

  // a plain pipeline on the DirectRunner: PAssert fails its run when an assertion fails
  private final Pipeline pipeline = Pipeline.create();

  private PCollection<Row> input(Row... rows) {
    return pipeline.apply(Create.of(java.util.List.of(rows)).withRowSchema(INPUT));
  }

  /** The schemas of the tables, by name, as a step is planned over them. */
  private static Map<String, Schema> schemas(PCollectionTuple tables) {
    Map<String, Schema> out = new LinkedHashMap<>();
    tables.getAll().forEach((tag, pc) -> out.put(tag.getId(), ((PCollection<?>) pc).getSchema()));
    return out;
  }

  private static SqlStep step(String sql, PCollectionTuple tables, String stage) {
    return new SqlStep(SqlStep.Planned.of(sql, schemas(tables)), BATCH, stage, "t");
  }

  /** Whether the statement runs as a projection; false too when Beam SQL rejects it. */
  private static boolean isProjection(String sql, PCollectionTuple tables) {
    try {
      return SqlStep.Planned.of(sql, schemas(tables)).isProjection();
    } catch (RuntimeException rejected) {
      return false;
    }
  }

  private static Row row(String id, String time, long offset) {
    return Row.withSchema(INPUT).addValues(id, time, "t", 0, offset).build();
  }

  @Test
  void referenceSqlThenSetTypeGivesMicrosecondTimestamps() {
    PCollection<Row> in =
        input(
            row("a", "2026-11-24T10:15:00.123456+02:00", 1),
            row("b", "2026-11-24t08:15:00z", 2),
            row("c", "not a time", 3),
            row("d", "2026-11-24T08:15:00.123456789Z", 4));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    PCollection<Row> selected =
        tables
            .apply(step("SELECT *, time as _timestamp FROM input_cloudevents", tables, "s"))
            .rows();
    Map<String, FieldType> columns = new LinkedHashMap<>();
    columns.put("_timestamp", FieldType.of(FieldType.Kind.TIMESTAMP));
    columns.put("time", FieldType.of(FieldType.Kind.TIMESTAMP));
    RowsWithDeadLetters typed = selected.apply(new SetType(columns, BATCH, "cloudevents"));

    PAssert.that(
            typed
                .rows()
                .apply(
                    "Rows",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.getString("id")
                                    + " "
                                    + r.<Instant>getLogicalTypeValue("time", Instant.class)
                                    + " "
                                    + r.<Instant>getLogicalTypeValue("_timestamp", Instant.class))))
        .containsInAnyOrder(
            "a 2026-11-24T08:15:00.123456Z 2026-11-24T08:15:00.123456Z",
            "b 2026-11-24T08:15:00Z 2026-11-24T08:15:00Z");
    PAssert.that(
            typed
                .deadLetters()
                .apply(
                    "Dead letters",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.getString("error_kind")
                                    + " "
                                    + r.getInt64("offset")
                                    + " "
                                    + r.getString("stage")
                                    + ": "
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
  void aPureProjectionRunsWithoutBeamSqlWithBeamSqlsSchemaAndValues() {
    PCollectionTuple tables =
        PCollectionTuple.of(
            new TupleTag<>("input_cloudevents"), input(row("a", "x", 1), row("b", null, 2)));
    String sql = "SELECT *, time as _timestamp, id copy FROM input_cloudevents";
    org.assertj.core.api.Assertions.assertThat(isProjection(sql, tables)).isTrue();
    PCollection<Row> fast = tables.apply("fast", step(sql, tables, "s")).rows();
    PCollection<Row> beam =
        tables.apply("beam", SqlTransform.query(SqlStep.effectiveSql(sql, schemas(tables))));
    org.assertj.core.api.Assertions.assertThat(fast.getSchema()).isEqualTo(beam.getSchema());
    for (PCollection<Row> out : java.util.List.of(fast, beam)) {
      PAssert.that(
              out.apply(
                  "Values " + out.getName(),
                  MapElements.into(TypeDescriptors.strings())
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
  void arraysPassThroughWithTheirNullElements() {
    Schema schema =
        Schema.builder()
            .addNullableField("id", Schema.FieldType.STRING)
            .addNullableField(
                "tags", Schema.FieldType.array(Schema.FieldType.STRING.withNullable(true)))
            .build();
    PCollection<Row> in =
        pipeline.apply(
            Create.of(
                    Row.withSchema(schema)
                        .addValues("a", java.util.Arrays.asList("x", null))
                        .build(),
                    Row.withSchema(schema).addValues("b", null).build())
                .withRowSchema(schema));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    String sql = "SELECT *, tags AS labels FROM input_cloudevents";
    org.assertj.core.api.Assertions.assertThat(isProjection(sql, tables)).isTrue();
    PCollection<Row> fast = tables.apply("fast", step(sql, tables, "s")).rows();
    // Beam SQL would declare the elements NOT NULL, and fail to encode ["x", null]
    org.assertj.core.api.Assertions.assertThat(fast.getSchema().getField("labels").getType())
        .isEqualTo(schema.getField("tags").getType());
    PAssert.that(
            fast.apply(
                "Values",
                MapElements.into(TypeDescriptors.strings())
                    .via(r -> String.valueOf(r.getValues()))))
        .containsInAnyOrder("[a, [x, null], [x, null]]", "[b, null, null]");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void statementsThatComputeAnythingRunThroughBeamSql() {
    PCollectionTuple tables =
        PCollectionTuple.of(new TupleTag<>("input_cloudevents"), input(row("a", "x", 1)));
    for (String sql :
        java.util.List.of(
            "SELECT id, time FROM input_cloudevents",
            "SELECT *, UPPER(id) AS up FROM input_cloudevents",
            "SELECT * FROM input_cloudevents WHERE _kafka_offset > 1",
            "SELECT *, nope AS n FROM input_cloudevents",
            "SELECT *, CAST(_kafka_offset AS VARCHAR) AS o FROM input_cloudevents")) {
      org.assertj.core.api.Assertions.assertThat(isProjection(sql, tables)).as(sql).isFalse();
    }
    org.assertj.core.api.Assertions.assertThat(
            isProjection("select * from input_cloudevents", tables))
        .isTrue();
    // the form alone, without planning: only what may be a projection is planned as one
    org.assertj.core.api.Assertions.assertThat(
            java.util.List.of(
                "SELECT *, UPPER(id) AS up FROM input_cloudevents",
                "SELECT * FROM input_cloudevents WHERE _kafka_offset > 1",
                "SELECT id, time FROM input_cloudevents",
                "SELECT *, nope AS n FROM input_cloudevents",
                "select *, `time` _timestamp from input_cloudevents"))
        .map(SqlStep::mayBeProjection)
        .containsExactly(false, false, false, true, true);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void rowsASqlStepFailsOnBecomeDeadLettersAndTheRestPass() {
    PCollection<Row> in = input(row("1", "x", 5), row("two", "y", 6), row("3", "z", 7));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    RowsWithDeadLetters out =
        tables.apply(
            step(
                "SELECT CAST(id AS INTEGER) AS n, _kafka_partition, _kafka_offset FROM input_cloudevents",
                tables,
                "numbers"));
    PAssert.that(
            out.rows()
                .apply(
                    "Numbers",
                    MapElements.into(TypeDescriptors.integers()).via(r -> r.getInt32("n"))))
        .containsInAnyOrder(1, 3);
    PAssert.that(
            out.deadLetters()
                .apply(
                    "Failed",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.getString("error_kind")
                                    + " "
                                    + r.getString("topic")
                                    + "-"
                                    + r.getInt32("partition")
                                    + "@"
                                    + r.getInt64("offset")
                                    + " "
                                    + r.getString("stage")
                                    + " "
                                    + r.getString("pipeline_id")
                                    + "/"
                                    + r.getString("batch_id")
                                    + " "
                                    + r.getString("error_message").contains("two"))))
        .containsInAnyOrder("SQL_FAILED t-0@6 numbers p/b1 true");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void setTypeChangesTheSchema() {
    RowsWithDeadLetters typed =
        input(row("a", "42", 1))
            .apply(new SetType(Map.of("time", FieldType.of(FieldType.Kind.LONG)), BATCH, "s"));
    PAssert.that(
            typed
                .rows()
                .apply(MapElements.into(TypeDescriptors.longs()).via(r -> r.getInt64("time"))))
        .containsInAnyOrder(42L);
    pipeline.run().waitUntilFinish();
    org.assertj.core.api.Assertions.assertThat(
            typed.rows().getSchema().getField("time").getType().getTypeName())
        .isEqualTo(Schema.TypeName.INT64);
  }

  @Test
  void sqlStepsSeeEarlierStepsByName() {
    PCollection<Row> in = input(row("a", "x", 1), row("b", "y", 2), row("c", "z", 3));
    PCollectionTuple tables = PCollectionTuple.of(new TupleTag<>("input_cloudevents"), in);
    PCollection<Row> first =
        tables
            .apply(
                "first",
                step(
                    "SELECT id, _kafka_offset FROM input_cloudevents WHERE _kafka_offset > 1",
                    tables,
                    "s"))
            .rows();
    PCollection<Row> second =
        tables
            .and(new TupleTag<>("first"), first)
            .apply("second", SqlTransform.query("SELECT COUNT(*) AS n FROM first"));
    PAssert.that(second.apply(MapElements.into(TypeDescriptors.longs()).via(r -> r.getInt64("n"))))
        .containsInAnyOrder(2L);
    pipeline.run().waitUntilFinish();
  }
}
