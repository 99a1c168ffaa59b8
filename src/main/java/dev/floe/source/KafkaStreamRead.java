package dev.floe.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A continuous read of a topic's partitions from given offsets, with Beam's KafkaIO: an unbounded
 * collection of raw records (key and value as bytes), timestamped with the time they were read, so
 * that fixed windows of processing time hold contiguous offset ranges of each partition. The
 * watermark follows the wall clock, so windows fire on time when a partition is idle. The read ends
 * when {@link StopReading} says so; the offsets it read are kept in the Iceberg table, never in a
 * consumer group.
 */
public final class KafkaStreamRead
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  private final String bootstrapServers;
  private final Map<String, String> consumerProperties;
  private final String topic;
  private final Map<Integer, Long> startOffsets;
  private final StopReading stop;

  /**
   * @param startOffsets the first offset to read, per partition of {@code topic}
   */
  public KafkaStreamRead(
      String bootstrapServers,
      Map<String, String> consumerProperties,
      String topic,
      Map<Integer, Long> startOffsets,
      StopReading stop) {
    this.bootstrapServers = bootstrapServers;
    this.consumerProperties = consumerProperties;
    this.topic = topic;
    this.startOffsets = Map.copyOf(startOffsets);
    this.stop = stop;
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin begin) {
    List<KafkaSourceDescriptor> partitions = new ArrayList<>();
    startOffsets.forEach(
        (partition, offset) ->
            partitions.add(
                KafkaSourceDescriptor.of(
                    new TopicPartition(topic, partition),
                    offset,
                    null,
                    null,
                    null,
                    List.of(bootstrapServers))));
    Map<String, Object> consumer = new HashMap<>(consumerProperties);
    // Floe owns where reading starts and keeps no consumer group
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return begin
        .apply("Partitions", Create.of(partitions))
        .apply(
            "Read continuously",
            KafkaIO.<byte[], byte[]>readSourceDescriptors()
                .withBootstrapServers(bootstrapServers)
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(consumer)
                .withProcessingTime()
                .withCheckStopReadingFn(stop));
  }
}
