package dev.floe.format;

import dev.floe.spec.FieldType;
import dev.floe.spec.InputSpec;
import dev.floe.transform.BeamTypes;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The row schema of a CloudEvents input: the context attributes, {@code extensions}, {@code data}
 * as JSON text and/or the declared data fields, and the Kafka metadata ({@code _kafka_topic},
 * {@code _kafka_partition}, {@code _kafka_offset}, {@code _kafka_timestamp}, {@code _kafka_key}).
 */
public final class CloudEventSchema {
  /** The context attributes that are columns of their own, in column order. */
  static final String[] ATTRIBUTES = {
    "specversion", "id", "source", "type", "time", "datacontenttype", "dataschema", "subject"
  };

  private CloudEventSchema() {}

  public static Schema of(InputSpec input) {
    Schema.Builder b = Schema.builder();
    for (String a : ATTRIBUTES) {
      b.addNullableField(a, Schema.FieldType.STRING);
    }
    b.addNullableField(
        "extensions", Schema.FieldType.map(Schema.FieldType.STRING, Schema.FieldType.STRING));
    if (input.dataFields().isEmpty() || input.keepDataJson()) {
      b.addNullableField("data", Schema.FieldType.STRING);
    }
    for (Map.Entry<String, FieldType> f : input.dataFields().entrySet()) {
      b.addField(f.getKey(), BeamTypes.of(f.getValue()));
    }
    return b.addNullableField("_kafka_topic", Schema.FieldType.STRING)
        .addNullableField("_kafka_partition", Schema.FieldType.INT32)
        .addNullableField("_kafka_offset", Schema.FieldType.INT64)
        .addNullableField("_kafka_timestamp", Schema.FieldType.DATETIME)
        .addNullableField("_kafka_key", Schema.FieldType.BYTES)
        .build();
  }
}
