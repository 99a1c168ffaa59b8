package dev.floe.decode;

import dev.floe.config.CloudEventColumns;
import dev.floe.config.FieldType;
import dev.floe.config.InputConfig;
import dev.floe.types.BeamTypes;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The row schema of a CloudEvents input ({@link CloudEventColumns}): the context attributes, {@code
 * extensions}, {@code data} as JSON text and/or the declared data fields, and the Kafka metadata.
 */
public final class CloudEventSchema {
  private CloudEventSchema() {}

  public static Schema of(InputConfig input) {
    return of(input, java.util.List.of());
  }

  /** As above, with {@code dataColumns} (the data's fields, from the registry) before Kafka's. */
  static Schema of(InputConfig input, java.util.List<Schema.Field> dataColumns) {
    Schema.Builder b = Schema.builder();
    for (String a : CloudEventColumns.ATTRIBUTES) {
      b.addNullableField(a, Schema.FieldType.STRING);
    }
    b.addNullableField(
        CloudEventColumns.EXTENSIONS,
        Schema.FieldType.map(Schema.FieldType.STRING, Schema.FieldType.STRING));
    if (input.dataFields().isEmpty() || input.keepDataJson()) {
      b.addNullableField(CloudEventColumns.DATA, Schema.FieldType.STRING);
    }
    for (Map.Entry<String, FieldType> f : input.dataFields().entrySet()) {
      b.addField(f.getKey(), BeamTypes.of(f.getValue()));
    }
    b.addFields(dataColumns);
    KafkaColumns.addTo(b);
    return b.build();
  }
}
