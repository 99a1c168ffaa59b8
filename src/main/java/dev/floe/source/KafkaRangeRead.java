package dev.floe.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.BoundedReads;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads exactly the planned offset ranges, as a bounded collection of raw Kafka records (key and
 * value as bytes). Empty ranges are not read: a stop offset at or past the end of a partition
 * would wait for records that never come.
 */
public final class KafkaRangeRead
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  private final String bootstrapServers;
  private final Map<String, String> consumerProperties;
  private final List<KafkaRange> ranges;
  private final Long maxReadMillis;

  /** @param maxReadMillis how long the read may take before it stops early; null for no cap */
  public KafkaRangeRead(
      String bootstrapServers,
      Map<String, String> consumerProperties,
      List<KafkaRange> ranges,
      Long maxReadMillis) {
    this.bootstrapServers = bootstrapServers;
    this.consumerProperties = consumerProperties;
    this.ranges = ranges.stream().filter(r -> r.count() > 0).toList();
    this.maxReadMillis = maxReadMillis;
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin begin) {
    List<KafkaSourceDescriptor> descriptors =
        ranges.stream()
            .map(
                r ->
                    KafkaSourceDescriptor.of(
                        new TopicPartition(r.topic(), r.partition()),
                        r.from(),
                        null,
                        r.to(),
                        null,
                        List.of(bootstrapServers)))
            .toList();
    Map<String, Object> consumer = new HashMap<>(consumerProperties);
    // offsets live in the Iceberg table; the consumer group is never the source of truth
    consumer.put("enable.auto.commit", false);
    KafkaIO.ReadSourceDescriptors<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>readSourceDescriptors()
            .withBootstrapServers(bootstrapServers)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumer);
    if (maxReadMillis != null) {
      read = read.withCheckStopReadingFn(new ReadDeadline(maxReadMillis));
    }
    return begin
        .apply("Planned ranges", Create.of(descriptors))
        .apply("Read Kafka", BoundedReads.bounded(read));
  }
}
