package dev.floe.transform;

import dev.floe.config.FieldType;
import dev.floe.deadletter.DeadLetters;
import dev.floe.deadletter.DeadLetters.BatchTag;
import dev.floe.deadletter.RowsWithDeadLetters;
import dev.floe.types.BeamTypes;
import dev.floe.types.Rfc3339;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.ReadableInstant;

/**
 * The {@code set_type} function: casts columns to new types, e.g. an RFC 3339 string to a timestamp
 * (microseconds, any offset). A value that cannot be cast makes its row a dead letter with the
 * reason; nothing is silently truncated or set to null.
 */
public final class SetType extends PTransform<PCollection<Row>, RowsWithDeadLetters> {
  private static final TupleTag<Row> ROWS = new TupleTag<>("typed") {};

  private final Map<String, FieldType> columns;
  private final BatchTag batch;
  private final String stage;

  public SetType(Map<String, FieldType> columns, BatchTag batch, String stage) {
    this.columns = columns;
    this.batch = batch;
    this.stage = stage;
  }

  /** The schema after the cast; throws {@link IllegalArgumentException} for unknown columns. */
  public static Schema outputSchema(Schema input, Map<String, FieldType> columns) {
    for (String column : columns.keySet()) {
      if (!input.hasField(column)) {
        throw new IllegalArgumentException(
            "set_type: no column '" + column + "'; the columns are " + input.getFieldNames());
      }
    }
    Schema.Builder b = Schema.builder();
    for (Schema.Field f : input.getFields()) {
      FieldType to = columns.get(f.getName());
      b.addField(to == null ? f : Schema.Field.of(f.getName(), BeamTypes.of(to)));
    }
    return b.build();
  }

  @Override
  public RowsWithDeadLetters expand(PCollection<Row> rows) {
    Schema out = outputSchema(rows.getSchema(), columns);
    PCollectionTuple result =
        rows.apply(
            "Cast " + String.join(", ", columns.keySet()),
            ParDo.of(new CastFn(rowStep(rows.getSchema())))
                .withOutputTags(ROWS, TupleTagList.of(DeadLetters.TAG)));
    return RowsWithDeadLetters.of(
        result.get(ROWS).setRowSchema(out),
        result.get(DeadLetters.TAG).setRowSchema(DeadLetters.SCHEMA));
  }

  /** A cast of one value; throws {@link IllegalArgumentException} with the reason. */
  public interface Cast extends Serializable {
    Object apply(Object value);
  }

  /**
   * The casts of one row: the row with its columns cast, or null when a value cannot be cast and
   * the row became a {@code CAST_FAILED} dead letter.
   */
  public RowStep rowStep(Schema in) {
    return new Casts(in, outputSchema(in, columns), columns, batch, stage);
  }

  private static final class Casts implements RowStep {
    private final Schema out;
    private final Cast[] casts;
    private final BatchTag batch;
    private final String stage;

    Casts(Schema in, Schema out, Map<String, FieldType> columns, BatchTag batch, String stage) {
      this.out = out;
      this.batch = batch;
      this.stage = stage;
      this.casts = new Cast[in.getFieldCount()];
      for (int i = 0; i < casts.length; i++) {
        FieldType to = columns.get(in.getField(i).getName());
        casts[i] = to == null ? null : cast(in.getField(i).getType(), to);
      }
    }

    @Override
    public Row apply(Row row, Consumer<Row> deadLetters) {
      Object[] values = row.getValues().toArray();
      for (int i = 0; i < casts.length; i++) {
        if (casts[i] != null && values[i] != null) {
          try {
            values[i] = casts[i].apply(values[i]);
          } catch (RuntimeException e) {
            String column = out.getField(i).getName();
            deadLetters.accept(
                DeadLetters.ofRow(
                    batch,
                    row,
                    DeadLetters.Kind.CAST_FAILED,
                    "set_type " + column + ": " + e.getMessage(),
                    stage));
            return null;
          }
        }
      }
      return Row.withSchema(out).attachValues(values);
    }
  }

  private static final class CastFn extends DoFn<Row, Row> {
    private final RowStep casts;

    CastFn(RowStep casts) {
      this.casts = casts;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver receiver) {
      Row cast = casts.apply(row, receiver.get(DeadLetters.TAG)::output);
      if (cast != null) {
        receiver.get(ROWS).output(cast);
      }
    }
  }

  public static Cast cast(Schema.FieldType from, FieldType to) {
    Cast toText = SetType::text;
    return switch (to.kind()) {
      case STRING -> toText;
      case TIMESTAMP ->
          v -> {
            if (v instanceof Instant i) {
              return Rfc3339.checkMicros(i, i.toString());
            }
            if (v instanceof ReadableInstant r) {
              return Instant.ofEpochMilli(r.getMillis());
            }
            if (v instanceof LocalDateTime l) {
              return l.toInstant(ZoneOffset.UTC);
            }
            return Rfc3339.parseMicros(text(v));
          };
      case TIMESTAMP_NTZ -> v -> v instanceof LocalDateTime ? v : LocalDateTime.parse(text(v));
      case DATE -> v -> v instanceof LocalDate ? v : LocalDate.parse(text(v));
      case INT ->
          v ->
              v instanceof Number n
                  ? Math.toIntExact(n.longValue())
                  : Integer.parseInt(text(v).trim());
      case LONG -> v -> v instanceof Number n ? n.longValue() : Long.parseLong(text(v).trim());
      case DOUBLE ->
          v -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(text(v).trim());
      case FLOAT -> v -> v instanceof Number n ? n.floatValue() : Float.parseFloat(text(v).trim());
      case BOOLEAN ->
          v -> {
            if (v instanceof Boolean) {
              return v;
            }
            String t = text(v).trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
              return Boolean.parseBoolean(t);
            }
            throw new IllegalArgumentException("'" + t + "' is not true or false");
          };
      case BYTES -> v -> v instanceof byte[] ? v : Base64.getDecoder().decode(text(v));
      case ARRAY -> {
        if (from.getTypeName() != TypeName.ARRAY) {
          throw new IllegalArgumentException("set_type: only an array can become " + to);
        }
        Cast element = cast(from.getCollectionElementType(), to.element());
        yield v -> {
          List<Object> items = new ArrayList<>();
          for (Object item : (Iterable<?>) v) {
            items.add(item == null ? null : element.apply(item));
          }
          return items;
        };
      }
    };
  }

  private static String text(Object v) {
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (v instanceof ReadableInstant r) {
      return Instant.ofEpochMilli(r.getMillis()).toString();
    }
    return String.valueOf(v);
  }
}
