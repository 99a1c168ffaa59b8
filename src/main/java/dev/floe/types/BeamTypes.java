package dev.floe.types;

import dev.floe.config.FieldType;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * Pipeline column types as Beam schema types. {@code timestamp} is Beam's {@link MicrosInstant} (a
 * {@code java.time.Instant} at microsecond precision, Iceberg's {@code timestamptz}); {@code
 * timestamp_ntz} a {@code LocalDateTime}; {@code date} a {@code LocalDate}.
 */
public final class BeamTypes {
  private BeamTypes() {}

  public static Schema.FieldType of(FieldType type) {
    Schema.FieldType beam =
        switch (type.kind()) {
          case STRING -> Schema.FieldType.STRING;
          case INT -> Schema.FieldType.INT32;
          case LONG -> Schema.FieldType.INT64;
          case FLOAT -> Schema.FieldType.FLOAT;
          case DOUBLE -> Schema.FieldType.DOUBLE;
          case BOOLEAN -> Schema.FieldType.BOOLEAN;
          case BYTES -> Schema.FieldType.BYTES;
          case DATE -> Schema.FieldType.logicalType(SqlTypes.DATE);
          case TIMESTAMP -> Schema.FieldType.logicalType(new MicrosInstant());
          case TIMESTAMP_NTZ -> Schema.FieldType.logicalType(SqlTypes.DATETIME);
          case ARRAY -> Schema.FieldType.array(of(type.element()));
        };
    return beam.withNullable(true);
  }
}
