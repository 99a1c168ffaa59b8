package dev.floe.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.floe.config.CloudEventColumns;
import dev.floe.config.FieldType;
import dev.floe.config.InputConfig;
import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.types.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes one Kafka record holding a CloudEvent (Kafka protocol binding, structured or binary mode)
 * straight into a Beam Row, with one pass of Jackson's streaming parser and no intermediate maps.
 * Not thread-safe; one per DoFn instance.
 *
 * <p>Structured mode: {@code content-type: application/cloudevents+json}, the value is the JSON
 * envelope. Binary mode: attributes in {@code ce_*} headers, {@code content-type} is the
 * datacontenttype, the value is the data. A record with neither marker is read as structured.
 */
public final class CloudEventDecoder {
  private static final String SPEC_VERSION = "1.0";

  /**
   * Limits a hostile record cannot get past: a deeper object or a longer number or string ends the
   * parse with a dead letter instead of a deep stack or a slow, large parse. Nesting and number
   * length are Jackson's defaults, set here so that no upgrade changes them unnoticed; a string can
   * be as long as the largest value the input accepts.
   */
  static final int MAX_NESTING_DEPTH = 1_000;

  static final int MAX_NUMBER_LENGTH = 1_000;

  private final JsonFactory json;
  private final Schema schema;
  private final Map<String, Integer> attributeIndex = new HashMap<>();
  private final Map<String, Integer> dataFieldIndex = new HashMap<>();
  private final Map<String, FieldType> dataFieldType = new HashMap<>();

  /** Per column of the schema read from JSON (attributes, data fields): its repeated strings. */
  private final RepeatedStrings[] strings;

  private final int extensions;
  private final int data;
  private final int kafkaTopic;
  private final long maxValueBytes;

  public CloudEventDecoder(InputConfig input) {
    this.maxValueBytes = input.maxValueBytes();
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxValueBytes))
                    .build())
            .build();
    this.schema = CloudEventSchema.of(input);
    for (String a : CloudEventColumns.ATTRIBUTES) {
      attributeIndex.put(a, schema.indexOf(a));
    }
    for (Map.Entry<String, FieldType> f : input.dataFields().entrySet()) {
      dataFieldIndex.put(f.getKey(), schema.indexOf(f.getKey()));
      dataFieldType.put(f.getKey(), f.getValue());
    }
    this.extensions = schema.indexOf(CloudEventColumns.EXTENSIONS);
    this.data =
        schema.hasField(CloudEventColumns.DATA) ? schema.indexOf(CloudEventColumns.DATA) : -1;
    this.kafkaTopic = schema.indexOf(CloudEventColumns.KAFKA.get(0));
    this.strings = new RepeatedStrings[schema.getFieldCount()];
    for (int column : attributeIndex.values()) {
      strings[column] = new RepeatedStrings();
    }
    for (int column : dataFieldIndex.values()) {
      strings[column] = new RepeatedStrings();
    }
  }

  public Schema schema() {
    return schema;
  }

  public Row decode(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Headers headers,
      byte[] key,
      byte[] value)
      throws DecodeException {
    if (value == null || value.length == 0) {
      throw new DecodeException(Kind.EMPTY_VALUE, "the record has an empty value");
    }
    if (value.length > maxValueBytes) {
      throw new DecodeException(
          Kind.TOO_LARGE,
          "the value is "
              + value.length
              + " bytes, over the limit of "
              + maxValueBytes
              + " (inputs[].maxValueBytes); stored"
              + " truncated, value_size holds the real size");
    }
    Object[] values = new Object[schema.getFieldCount()];
    Map<String, String> ext = new LinkedHashMap<>();
    String contentType = header(headers, "content-type");
    boolean binary =
        header(headers, "ce_specversion") != null
            && (contentType == null || !contentType.startsWith("application/cloudevents"));
    try {
      if (binary) {
        readBinary(headers, contentType, value, values, ext);
      } else {
        readStructured(value, values, ext);
      }
    } catch (JsonParseException e) {
      throw new DecodeException(Kind.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException(Kind.MALFORMED_JSON, "not valid JSON: " + e.getMessage());
    }
    check(values);
    values[extensions] = ext;
    values[kafkaTopic] = topic;
    values[kafkaTopic + 1] = partition;
    values[kafkaTopic + 2] = offset;
    values[kafkaTopic + 3] = new org.joda.time.Instant(timestampMillis);
    values[kafkaTopic + 4] = key;
    return Row.withSchema(schema).attachValues(values);
  }

  private void readStructured(byte[] value, Object[] values, Map<String, String> ext)
      throws IOException, DecodeException {
    try (JsonParser p = json.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException(
            Kind.MALFORMED_JSON, "a structured-mode CloudEvent must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken token = p.nextToken();
        Integer attribute = attributeIndex.get(name);
        if (attribute != null) {
          if (token != JsonToken.VALUE_NULL) {
            if (token != JsonToken.VALUE_STRING) {
              throw new DecodeException(
                  Kind.MALFORMED_JSON, "attribute '" + name + "' must be a string");
            }
            values[attribute] = strings[attribute].text(p);
          }
        } else if (name.equals("data")) {
          long start = p.currentTokenLocation().getByteOffset();
          if (!dataFieldIndex.isEmpty() && token != JsonToken.VALUE_NULL) {
            readDataFields(p, values);
          } else {
            p.skipChildren();
          }
          p.finishToken();
          long end = p.currentLocation().getByteOffset();
          if (data >= 0) {
            values[data] =
                new String(value, (int) start, (int) (end - start), StandardCharsets.UTF_8);
          }
        } else if (name.equals("data_base64")) {
          if (data >= 0) {
            values[data] = p.getValueAsString();
          }
          if (!dataFieldIndex.isEmpty()) {
            throw new DecodeException(
                Kind.DATA_TYPE_MISMATCH, "data is base64 binary, but data fields are declared");
          }
        } else {
          // any other attribute is an extension; extension values are strings, numbers or booleans
          if (token.isStructStart()) {
            throw new DecodeException(
                Kind.MALFORMED_JSON, "extension attribute '" + name + "' must be a scalar");
          }
          ext.put(name, p.getValueAsString());
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new DecodeException(Kind.MALFORMED_JSON, "the JSON object is not closed");
      }
      if (p.nextToken() != null) {
        throw new DecodeException(Kind.MALFORMED_JSON, "text after the end of the JSON object");
      }
    }
  }

  private void readBinary(
      Headers headers, String contentType, byte[] value, Object[] values, Map<String, String> ext)
      throws IOException, DecodeException {
    for (Header h : headers) {
      if (h.key().startsWith("ce_") && h.value() != null) {
        String name = h.key().substring(3).toLowerCase(Locale.ROOT);
        String text = new String(h.value(), StandardCharsets.UTF_8);
        Integer attribute = attributeIndex.get(name);
        if (attribute != null) {
          values[attribute] = text;
        } else {
          ext.put(name, text);
        }
      }
    }
    values[attributeIndex.get("datacontenttype")] = contentType;
    boolean isJson = isJson(contentType);
    if (data >= 0) {
      values[data] =
          isJson || contentType.startsWith("text/")
              ? new String(value, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(value);
    }
    if (!dataFieldIndex.isEmpty()) {
      if (!isJson) {
        throw new DecodeException(
            Kind.DATA_TYPE_MISMATCH,
            "data has content type '" + contentType + "', but declared data fields need JSON");
      }
      try (JsonParser p = json.createParser(value)) {
        p.nextToken();
        readDataFields(p, values);
        if (p.nextToken() != null) {
          throw new DecodeException(Kind.MALFORMED_JSON, "text after the end of the data");
        }
      }
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null || contentType.isEmpty()) {
      return true;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
  }

  /** Reads the declared fields of a data object; the parser is on its first token. */
  private void readDataFields(JsonParser p, Object[] values) throws IOException, DecodeException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new DecodeException(
          Kind.DATA_TYPE_MISMATCH, "data is not a JSON object, but data fields are declared");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      Integer index = dataFieldIndex.get(name);
      if (index == null) {
        p.skipChildren();
      } else {
        values[index] = readValue(p, dataFieldType.get(name), name, strings[index]);
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
        "data." + field + ": expected " + type + ", found " + describe(p, t));
  }

  private static Object readText(String text, FieldType type, String field) throws DecodeException {
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
          Kind.DATA_TYPE_MISMATCH, "data." + field + ": expected " + type + ": " + e.getMessage());
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

  /** The checks of the CloudEvents 1.0 spec that make an event unusable when they fail. */
  private void check(Object[] values) throws DecodeException {
    for (String required : new String[] {"id", "source", "specversion", "type"}) {
      Object v = values[attributeIndex.get(required)];
      if (v == null || ((String) v).isEmpty()) {
        throw new DecodeException(
            Kind.MISSING_ATTRIBUTE, "required attribute '" + required + "' is missing");
      }
    }
    String version = (String) values[attributeIndex.get("specversion")];
    if (!SPEC_VERSION.equals(version)) {
      throw new DecodeException(
          Kind.UNSUPPORTED_SPECVERSION,
          "specversion '" + version + "' is not supported; Floe reads CloudEvents 1.0");
    }
    String time = (String) values[attributeIndex.get("time")];
    if (time != null && !Rfc3339.isValid(time)) {
      throw new DecodeException(
          Kind.INVALID_TIME, "attribute 'time' is not an RFC 3339 timestamp: '" + time + "'");
    }
  }

  private static String header(Headers headers, String name) {
    Header h = headers == null ? null : headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
