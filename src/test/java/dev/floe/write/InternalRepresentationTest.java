package dev.floe.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.types.IcebergSchemas;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

class InternalRepresentationTest {
  @Test
  void timestampsAreMicrosDatesAreDaysBinaryIsABuffer() {
    Schema beam =
        Schema.builder()
            .addNullableField("instant", Schema.FieldType.logicalType(new MicrosInstant()))
            .addNullableField("joda", Schema.FieldType.DATETIME)
            .addNullableField("local", Schema.FieldType.logicalType(SqlTypes.DATETIME))
            .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
            .addNullableField("small", Schema.FieldType.INT16)
            .addNullableField("raw", Schema.FieldType.BYTES)
            .addNullableField(
                "times", Schema.FieldType.array(Schema.FieldType.logicalType(new MicrosInstant())))
            .build();
    Row row =
        Row.withSchema(beam)
            .addValues(
                Instant.parse("2026-11-24T10:15:00.123456Z"),
                new org.joda.time.Instant(Instant.parse("2026-11-24T10:15:00.123Z").toEpochMilli()),
                LocalDateTime.parse("2026-11-24T10:15:00.000001"),
                LocalDate.parse("2026-11-24"),
                (short) 7,
                new byte[] {1, 2},
                List.of(Instant.parse("1969-12-31T23:59:59.999999Z")))
            .build();
    Record r =
        new IcebergSchemas.RowConverter(beam, IcebergSchemas.toIceberg(beam).asStruct())
            .convert(row);
    long micros = 1_795_515_300_000_000L; // 2026-11-24T10:15:00Z
    assertThat(r.get(0)).isEqualTo(micros + 123_456);
    assertThat(r.get(1)).isEqualTo(micros + 123_000);
    assertThat(r.get(2)).isEqualTo(micros + 1);
    assertThat(r.get(3)).isEqualTo((int) LocalDate.parse("2026-11-24").toEpochDay());
    assertThat(r.get(4)).isEqualTo(7);
    assertThat(r.get(5)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
    assertThat(r.get(6)).isEqualTo(List.of(-1L));
  }
}
