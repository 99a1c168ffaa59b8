package dev.floe.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {
  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }

  @Test
  void theReaderHasEveryFieldOptionalWithANullDefault() {
    Schema reader = AvroSchemas.readerOf(record("{\"name\":\"a\",\"type\":\"int\"}"));
    Schema.Field a = reader.getField("a");
    assertThat(a.schema().getTypes())
        .extracting(Schema::getType)
        .containsExactly(Schema.Type.NULL, Schema.Type.INT);
    assertThat(a.hasDefaultValue()).isTrue();
  }

  @Test
  void aNewFieldIsAddedAndIntWidenedToLong() throws Exception {
    Schema reader = AvroSchemas.readerOf(record("{\"name\":\"a\",\"type\":\"int\"}"));
    AvroSchemas.Merged merged =
        AvroSchemas.merge(
            reader,
            record(
                "{\"name\":\"a\",\"type\":\"long\"},"
                    + "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}"));
    assertThat(merged.changes()).containsExactly("widens a from int to long", "adds b (string)");
    assertThat(AvroSchemas.describe(merged.schema().getField("a").schema())).isEqualTo("long");
    assertThat(merged.schema().getField("b")).isNotNull();
  }

  @Test
  void anOlderWriterBringsNothingNew() throws Exception {
    Schema older = record("{\"name\":\"a\",\"type\":\"int\"}");
    Schema reader =
        AvroSchemas.merge(
                AvroSchemas.readerOf(older),
                record("{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"double\"}"))
            .schema();
    assertThat(AvroSchemas.merge(reader, older).changes()).isEmpty();
  }

  @Test
  void aTypeThatCannotBePromotedIsAMismatchNamingTheFieldAndBothTypes() {
    Schema reader = AvroSchemas.readerOf(record("{\"name\":\"a\",\"type\":\"long\"}"));
    assertThatThrownBy(
            () -> AvroSchemas.merge(reader, record("{\"name\":\"a\",\"type\":\"string\"}")))
        .isInstanceOf(AvroSchemas.Mismatch.class)
        .hasMessage(
            "field 'a' is string in the writer's schema and long in the table's; string cannot"
                + " be promoted to long");
  }

  @Test
  void nestedRecordsGainFieldsAndDecimalsMustKeepTheirScale() throws Exception {
    Schema v1 =
        record(
            "{\"name\":\"loc\",\"type\":{\"type\":\"record\",\"name\":\"L\",\"fields\":["
                + "{\"name\":\"lat\",\"type\":\"double\"}]}},"
                + "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                + "\"precision\":9,\"scale\":2}}");
    Schema v2 =
        record(
            "{\"name\":\"loc\",\"type\":{\"type\":\"record\",\"name\":\"L\",\"fields\":["
                + "{\"name\":\"lat\",\"type\":\"double\"},{\"name\":\"lon\",\"type\":\"double\"}]}},"
                + "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                + "\"precision\":9,\"scale\":3}}");
    assertThatThrownBy(() -> AvroSchemas.merge(AvroSchemas.readerOf(v1), v2))
        .hasMessageContaining("field 'p' is decimal(9,3) in the writer's schema and decimal(9,2)");
    Schema v2SameDecimal =
        new Schema.Parser().parse(v2.toString().replace("\"scale\":3", "\"scale\":2"));
    AvroSchemas.Merged merged = AvroSchemas.merge(AvroSchemas.readerOf(v1), v2SameDecimal);
    assertThat(merged.changes()).containsExactly("adds loc.lon (double)");
  }
}
