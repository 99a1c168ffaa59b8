package dev.floe.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * A continuous read of a topic's partitions from given offsets, with Beam's KafkaIO: an unbounded
 * collection of raw records (key and value as bytes), timestamped with the time they are read, so
 * that fixed windows of processing time hold contiguous offset ranges of each partition. The
 * watermark follows the wall clock, so windows fire on time while a partition is idle.
 *
 * <p>When {@link StopReading} says so, the watermark jumps to the end of time: the windows under
 * way fire and commit, and the read ends. A record read after that falls in no committed window,
 * and its offset is not committed: the next run reads it. The offsets live in the Iceberg table,
 * never in a consumer group: each partition is positioned at its start offset when it is assigned,
 * and a runner restoring a checkpoint positions it where the checkpoint says.
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
    List<TopicPartition> partitions = new ArrayList<>();
    startOffsets.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
    Map<String, Object> consumer = new HashMap<>(consumerProperties);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return begin.apply(
        "Read continuously",
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopicPartitions(partitions)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumer)
            .withConsumerFactoryFn(new StartingAt(topic, startOffsets))
            .withTimestampPolicyFactory(new ReadTime(stop)));
  }

  /** Consumers whose partitions start at the planned offsets when they are assigned. */
  private static final class StartingAt
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final String topic;
    private final Map<Integer, Long> offsets;

    StartingAt(String topic, Map<Integer, Long> offsets) {
      this.topic = topic;
      this.offsets = offsets;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
        @Override
        public void assign(Collection<TopicPartition> assigned) {
          super.assign(assigned);
          for (TopicPartition tp : assigned) {
            Long offset = tp.topic().equals(topic) ? offsets.get(tp.partition()) : null;
            if (offset != null) {
              seek(tp, offset);
            }
          }
        }
      };
    }
  }

  /**
   * Records stamped with the time they are read, and a watermark at the wall clock, or at the end
   * of time once the read is to stop.
   */
  private static final class ReadTime implements TimestampPolicyFactory<byte[], byte[]> {
    private final StopReading stop;

    ReadTime(StopReading stop) {
      this.stop = stop;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new TimestampPolicy<>() {
        @Override
        public Instant getTimestampForRecord(
            PartitionContext context, KafkaRecord<byte[], byte[]> record) {
          return Instant.now();
        }

        @Override
        public Instant getWatermark(PartitionContext context) {
          return stop.apply(partition) ? BoundedWindow.TIMESTAMP_MAX_VALUE : Instant.now();
        }
      };
    }
  }
}
