package dev.floe.write;

import dev.floe.types.IcebergSchemas;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.values.Row;

/**
 * How rows travel in a chunk ({@link PartitionChunks}): encoded one after the other with the rows'
 * own schema coder, except that timestamps ({@link MicrosInstant}) travel as one long of
 * microseconds since the epoch. Beam's coder turns each into a row of seconds and micros first,
 * built and checked field by field, which was most of the cost of keying a row. The rows decoded
 * hold the same {@link Instant} values.
 */
final class ChunkCoder {
  private ChunkCoder() {}

  /** The coder of rows of {@code rowSchema} in a chunk. */
  static Coder<Row> of(Schema rowSchema) {
    return SchemaCoder.of(withEpochMicros(rowSchema));
  }

  /** The rows of a chunk, in the order they were added. */
  static List<Row> rows(byte[] chunk, Coder<Row> rowCoder) {
    List<Row> rows = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(chunk);
    try {
      while (in.available() > 0) {
        rows.add(rowCoder.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Schema withEpochMicros(Schema schema) {
    Schema.Builder out = Schema.builder();
    for (Schema.Field f : schema.getFields()) {
      out.addField(f.withType(withEpochMicros(f.getType())));
    }
    return out.setOptions(schema.getOptions()).build();
  }

  private static Schema.FieldType withEpochMicros(Schema.FieldType type) {
    Schema.FieldType out =
        switch (type.getTypeName()) {
          case LOGICAL_TYPE ->
              MicrosInstant.IDENTIFIER.equals(type.getLogicalType().getIdentifier())
                  ? Schema.FieldType.logicalType(new EpochMicros())
                  : type;
          case ARRAY -> Schema.FieldType.array(withEpochMicros(type.getCollectionElementType()));
          case ITERABLE ->
              Schema.FieldType.iterable(withEpochMicros(type.getCollectionElementType()));
          case MAP ->
              Schema.FieldType.map(
                  withEpochMicros(type.getMapKeyType()), withEpochMicros(type.getMapValueType()));
          case ROW -> Schema.FieldType.row(withEpochMicros(type.getRowSchema()));
          default -> type;
        };
    return out.withNullable(type.getNullable());
  }

  /** An instant as microseconds since the epoch (what {@link MicrosInstant} keeps, in a long). */
  static final class EpochMicros implements Schema.LogicalType<Instant, Long> {
    static final String IDENTIFIER = "floe:epoch_micros";

    @Override
    public String getIdentifier() {
      return IDENTIFIER;
    }

    @Override
    public Schema.FieldType getArgumentType() {
      return null;
    }

    @Override
    public Schema.FieldType getBaseType() {
      return Schema.FieldType.INT64;
    }

    @Override
    public Long toBaseType(Instant input) {
      return IcebergSchemas.micros(input);
    }

    @Override
    public Instant toInputType(Long base) {
      return Instant.ofEpochSecond(
          Math.floorDiv(base, 1_000_000L), Math.floorMod(base, 1_000_000L) * 1_000L);
    }
  }
}
