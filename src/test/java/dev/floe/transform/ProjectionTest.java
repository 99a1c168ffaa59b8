package dev.floe.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.junit.jupiter.api.Test;

/**
 * A projection's output schema, known without planning, is the one Beam SQL plans: for every type
 * Floe passes unplanned, nullable or not, and for the statements that must be planned.
 */
class ProjectionTest {
  private static final Schema KEPT_TYPES =
      Schema.builder()
          .addNullableField("id", FieldType.STRING)
          .addField("name", FieldType.STRING)
          .addNullableField("flag", FieldType.BOOLEAN)
          .addNullableField("small", FieldType.INT16)
          .addField("n", FieldType.INT32)
          .addNullableField("offset_", FieldType.INT64)
          .addNullableField("ratio", FieldType.FLOAT)
          .addField("temperature", FieldType.DOUBLE)
          .addNullableField("payload", FieldType.BYTES)
          .addNullableField("seen", FieldType.DATETIME)
          .addNullableField("tags", FieldType.array(FieldType.STRING.withNullable(true)))
          .addField("codes", FieldType.array(FieldType.INT64))
          .addNullableField(
              "extensions", FieldType.map(FieldType.STRING, FieldType.STRING.withNullable(true)))
          .build();

  private static Map<String, Schema> table(String name, Schema schema) {
    return Map.of(name, schema);
  }

  @Test
  void theSchemaKnownWithoutPlanningIsTheOneBeamSqlPlans() {
    Map<String, Schema> tables = table("input_cloudevents", KEPT_TYPES);
    for (String sql :
        List.of(
            "SELECT * FROM input_cloudevents",
            "SELECT *, seen AS _timestamp FROM input_cloudevents",
            "select *, n copy, `tags` AS `labels`, codes AS codes2 from input_cloudevents",
            "SELECT *, name AS Name2, extensions ext FROM `input_cloudevents`")) {
      assertThat(KEPT_TYPES.getFields()).allMatch(f -> Projection.kept(f.getType()));
      Projection known = Projection.of(sql, tables, Projection.Planning.WHEN_NEEDED);
      Projection planned = Projection.of(sql, tables, Projection.Planning.ALWAYS);
      assertThat(known).as(sql).isNotNull();
      assertThat(planned).as(sql).isNotNull();
      assertThat(known.schema()).as(sql).isEqualTo(planned.schema());
    }
  }

  @Test
  void whatBeamSqlMayChangeOrRejectIsPlanned() {
    Schema withTimestamp =
        Schema.builder()
            .addNullableField("id", FieldType.STRING)
            .addNullableField("ts", FieldType.logicalType(new MicrosInstant()))
            .build();
    assertThat(Projection.kept(withTimestamp.getField("ts").getType())).isFalse();
    Map<String, Schema> tables = table("input_cloudevents", KEPT_TYPES);
    // an alias that repeats a column (Calcite renames it), a table named in another case, a
    // statement ending in a semicolon: the planned answer, whatever it is
    for (String sql :
        List.of(
            "SELECT *, n AS copy FROM input_cloudevents;",
            "SELECT *, id AS ID FROM input_cloudevents",
            "SELECT * FROM INPUT_CLOUDEVENTS")) {
      assertThat(schemaOf(Projection.of(sql, tables)))
          .as(sql)
          .isEqualTo(schemaOf(Projection.of(sql, tables, Projection.Planning.ALWAYS)));
    }
    // an unquoted reserved word as an alias: Beam SQL rejects it, and says why when it runs
    assertThat(Projection.of("SELECT *, id AS value FROM input_cloudevents", tables)).isNull();
  }

  private static Schema schemaOf(Projection p) {
    return p == null ? null : p.schema();
  }
}
