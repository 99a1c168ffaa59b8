package dev.floe.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import dev.floe.config.CloudEventColumns;
import dev.floe.config.FieldType;
import dev.floe.config.InputConfig;
import dev.floe.deadletter.DeadLetters.Kind;
import dev.floe.types.BeamTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes a plain JSON object value ({@code format: json}) into its declared fields ({@code
 * data.fields}), the value's JSON text as {@code data} unless {@code keepJson: false}, and the
 * Kafka columns. The same dead-letter rules as CloudEvents' data: not JSON, not an object, a field
 * of the wrong type.
 */
final class JsonValueDecoder implements RecordDecoder {
  private final JsonFactory json;
  private final Schema schema;
  private final JsonFields fields;
  private final int data;
  private final int kafkaTopic;
  private final long maxValueBytes;

  JsonValueDecoder(InputConfig input) {
    this.maxValueBytes = input.maxValueBytes();
    this.json = JsonFields.factory(maxValueBytes);
    this.schema = schema(input);
    this.fields = new JsonFields(input.dataFields(), schema, "");
    this.data =
        schema.hasField(CloudEventColumns.DATA) ? schema.indexOf(CloudEventColumns.DATA) : -1;
    this.kafkaTopic = schema.indexOf(CloudEventColumns.KAFKA.get(0));
  }

  /** The declared fields, {@code data} (the JSON text) unless not kept, the Kafka columns. */
  static Schema schema(InputConfig input) {
    Schema.Builder b = Schema.builder();
    for (Map.Entry<String, FieldType> f : input.dataFields().entrySet()) {
      b.addField(f.getKey(), BeamTypes.of(f.getValue()));
    }
    if (input.keepDataJson()) {
      b.addNullableField(CloudEventColumns.DATA, Schema.FieldType.STRING);
    }
    KafkaColumns.addTo(b);
    return b.build();
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
    try (JsonParser p = json.createParser(value)) {
      p.nextToken();
      fields.read(p, values);
      if (p.nextToken() != null) {
        throw new DecodeException(Kind.MALFORMED_JSON, "text after the end of the JSON object");
      }
    } catch (JsonParseException e) {
      throw new DecodeException(Kind.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException(Kind.MALFORMED_JSON, "not valid JSON: " + e.getMessage());
    }
    if (data >= 0) {
      values[data] = new String(value, StandardCharsets.UTF_8);
    }
    KafkaColumns.fill(values, kafkaTopic, topic, partition, offset, timestampMillis, key);
    return Row.withSchema(schema).attachValues(values);
  }
}
