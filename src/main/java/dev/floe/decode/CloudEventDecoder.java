package dev.floe.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.floe.config.CloudEventColumns;
import dev.floe.config.InputConfig;
import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.types.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
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
public final class CloudEventDecoder implements RecordDecoder {
  private static final String SPEC_VERSION = "1.0";

  private final JsonFactory json;
  private final Schema schema;
  private final Map<String, Integer> attributeIndex = new HashMap<>();
  private final JsonFields dataFields;
  private final AvroValues avro;
  private final AvroDataFields avroFields;

  /** Per attribute column: its repeated strings. */
  private final RepeatedStrings[] strings;

  private final int extensions;
  private final int data;
  private final int kafkaTopic;
  private final long maxValueBytes;

  public CloudEventDecoder(InputConfig input) {
    this(input, CloudEventSchema.of(input), null);
  }

  /**
   * @param schema the rows' schema: {@link CloudEventSchema}'s, with the registry's data columns
   *     when {@code avro} is given
   * @param avro reads binary-mode data of an Avro content type; null: no registry
   */
  CloudEventDecoder(InputConfig input, Schema schema, AvroValues avro) {
    this(input, schema, avro, null);
  }

  /**
   * As above; with {@code avroFields}, Avro data fills the declared data fields by name instead of
   * the registry's columns.
   */
  CloudEventDecoder(InputConfig input, Schema schema, AvroValues avro, AvroDataFields avroFields) {
    this.avroFields = avroFields;
    this.maxValueBytes = input.maxValueBytes();
    this.json = JsonFields.factory(maxValueBytes);
    this.schema = schema;
    this.avro = avro;
    for (String a : CloudEventColumns.ATTRIBUTES) {
      attributeIndex.put(a, schema.indexOf(a));
    }
    this.dataFields = new JsonFields(input.dataFields(), schema, "data.");
    this.extensions = schema.indexOf(CloudEventColumns.EXTENSIONS);
    this.data =
        schema.hasField(CloudEventColumns.DATA) ? schema.indexOf(CloudEventColumns.DATA) : -1;
    this.kafkaTopic = schema.indexOf(CloudEventColumns.KAFKA.get(0));
    this.strings = new RepeatedStrings[schema.getFieldCount()];
    for (int column : attributeIndex.values()) {
      strings[column] = new RepeatedStrings();
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Row decode(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      Headers headers,
      Object key,
      byte[] value)
      throws DecodeException {
    RecordDecoder.checkSize(value, maxValueBytes);
    Object[] values = new Object[schema.getFieldCount()];
    Map<String, String> ext = new LinkedHashMap<>();
    // binary mode has its attributes in ce_ headers, unless the content type says structured; a
    // structured-mode event (no ce_specversion header) skips decoding its content type
    String contentType = null;
    boolean binary = false;
    if (headers != null && headers.lastHeader("ce_specversion") != null) {
      contentType = header(headers, "content-type");
      binary = contentType == null || !contentType.startsWith("application/cloudevents");
    }
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
    KafkaColumns.fill(values, kafkaTopic, topic, partition, offset, timestampMillis, key);
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
          if (!dataFields.isEmpty() && token != JsonToken.VALUE_NULL) {
            dataFields.read(p, values);
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
          if (!dataFields.isEmpty()) {
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
    if (avro != null && isAvro(contentType)) {
      GenericRecord record = avro.read(value, "data");
      if (avroFields != null) {
        avroFields.put(record, values);
      } else {
        avro.put(record, values, kafkaTopic - avro.columns());
      }
      if (data >= 0) {
        values[data] = record.toString();
      }
      return;
    }
    boolean isJson = isJson(contentType);
    if (data >= 0) {
      values[data] =
          isJson || contentType.startsWith("text/")
              ? new String(value, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(value);
    }
    if (!dataFields.isEmpty()) {
      if (!isJson) {
        throw new DecodeException(
            Kind.DATA_TYPE_MISMATCH,
            "data has content type '" + contentType + "', but declared data fields need JSON");
      }
      try (JsonParser p = json.createParser(value)) {
        p.nextToken();
        dataFields.read(p, values);
        if (p.nextToken() != null) {
          throw new DecodeException(Kind.MALFORMED_JSON, "text after the end of the data");
        }
      }
    }
  }

  private static boolean isAvro(String contentType) {
    String base =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.equals("application/avro") || base.equals("avro/binary") || base.endsWith("+avro");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null || contentType.isEmpty()) {
      return true;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
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
