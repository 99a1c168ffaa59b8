package dev.floe.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.floe.config.FieldType;
import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.types.Rfc3339;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Declared fields of a JSON object (a CloudEvent's data, a plain JSON value) read into their
 * columns of a row, with Jackson's streaming parser; a value of the wrong type is a {@code
 * DATA_TYPE_MISMATCH}, other fields are skipped. Not thread-safe.
 */
final class JsonFields {
  /**
   * Limits a hostile record cannot get past: a deeper object or a longer number or string ends the
   * parse with a dead letter instead of a deep stack or a slow, large parse. Nesting and number
   * length are Jackson's defaults, set here so that no upgrade changes them unnoticed; a string can
   * be as long as the largest value the input accepts.
   */
  static final int MAX_NESTING_DEPTH = 1_000;

  static final int MAX_NUMBER_LENGTH = 1_000;

  private final Map<String, Integer> indexes = new HashMap<>();
  private final Map<String, FieldType> types = new HashMap<>();

  /** Per column: its repeated strings. */
  private final RepeatedStrings[] strings;

  /** What messages put before a field's name, e.g. {@code data.}. */
  private final String prefix;

  JsonFields(Map<String, FieldType> fields, Schema schema, String prefix) {
    this.prefix = prefix;
    this.strings = new RepeatedStrings[schema.getFieldCount()];
    for (Map.Entry<String, FieldType> f : fields.entrySet()) {
      int index = schema.indexOf(f.getKey());
      indexes.put(f.getKey(), index);
      types.put(f.getKey(), f.getValue());
      strings[index] = new RepeatedStrings();
    }
  }

  /** A JSON factory with the limits above, and strings up to {@code maxValueBytes}. */
  static JsonFactory factory(long maxValueBytes) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxValueBytes))
                .build())
        .build();
  }

  boolean isEmpty() {
    return indexes.isEmpty();
  }

  /**
   * Reads the declared fields of an object into their columns; the parser is on its first token.
   */
  void read(JsonParser p, Object[] values) throws IOException, DecodeException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new DecodeException(
          Kind.DATA_TYPE_MISMATCH,
          (prefix.isEmpty() ? "the value" : prefix.substring(0, prefix.length() - 1))
              + " is not a JSON object, but fields are declared");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      Integer index = indexes.get(name);
      if (index == null) {
        p.skipChildren();
      } else {
        values[index] = readValue(p, types.get(name), name, strings[index]);
      }
    }
  }

  /**
   * @param repeated the field's string values (an array's items share their array's)
   */
  private Object readValue(JsonParser p, FieldType type, String field, RepeatedStrings repeated)
      throws IOException, DecodeException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    switch (type.kind()) {
      case STRING:
        if (t == JsonToken.VALUE_STRING) {
          return repeated.text(p);
        }
        break;
      case INT:
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
          return p.getIntValue();
        }
        break;
      case LONG:
        if (t == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          return p.getLongValue();
        }
        break;
      case DOUBLE:
        if (t.isNumeric()) {
          return p.getDoubleValue();
        }
        break;
      case FLOAT:
        if (t.isNumeric()) {
          return p.getFloatValue();
        }
        break;
      case BOOLEAN:
        if (t.isBoolean()) {
          return t == JsonToken.VALUE_TRUE;
        }
        break;
      case ARRAY:
        if (t == JsonToken.START_ARRAY) {
          List<Object> items = new ArrayList<>();
          String item = field + "[]";
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(p, type.element(), item, repeated));
          }
          return items;
        }
        break;
      default:
        if (t == JsonToken.VALUE_STRING) {
          return readText(p.getText(), type, field);
        }
    }
    p.skipChildren();
    throw new DecodeException(
        Kind.DATA_TYPE_MISMATCH,
        prefix + field + ": expected " + type + ", found " + describe(p, t));
  }

  private Object readText(String text, FieldType type, String field) throws DecodeException {
    try {
      return switch (type.kind()) {
        case BYTES -> Base64.getDecoder().decode(text);
        case DATE -> LocalDate.parse(text);
        case TIMESTAMP -> Rfc3339.parseMicros(text);
        case TIMESTAMP_NTZ -> LocalDateTime.parse(text);
        default -> throw new IllegalStateException("not a text type: " + type);
      };
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new DecodeException(
          Kind.DATA_TYPE_MISMATCH, prefix + field + ": expected " + type + ": " + e.getMessage());
    }
  }

  private static String describe(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "the string \"" + p.getText() + "\"";
      default -> p.getText();
    };
  }
}
