package dev.floe.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Asks the broker about a topic's partitions and offsets, with a bounded wait. */
public final class KafkaOffsets implements TopicOffsets, AutoCloseable {
  /** How long the broker may take to answer before the run fails, unless the user sets it. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String bootstrap;
  private final Map<String, String> consumerProperties;
  private final Duration timeout;

  public KafkaOffsets(String bootstrap, Map<String, String> consumerProperties) {
    Properties props = new Properties();
    props.putAll(consumerProperties);
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("enable.auto.commit", "false");
    props.putIfAbsent("default.api.timeout.ms", String.valueOf(DEFAULT_TIMEOUT.toMillis()));
    this.timeout = Duration.ofMillis(Long.parseLong(props.getProperty("default.api.timeout.ms")));
    this.bootstrap = bootstrap;
    this.consumerProperties = consumerProperties;
    this.consumer = new KafkaConsumer<>(props);
  }

  /** The topic's partitions; fails with a clear message if the topic or broker is missing. */
  @Override
  public List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, timeout);
    } catch (AuthenticationException | AuthorizationException e) {
      throw refused(e, topic);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + bootstrap
              + " did not answer within "
              + timeout.toSeconds()
              + " s: check that the broker is running and reachable, and that kafka.bootstrapServers"
              + " is right (the wait is set by the consumer property default.api.timeout.ms)");
    }
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic '"
              + topic
              + "' does not exist on Kafka at "
              + bootstrap
              + ": create it, or fix kafka.topic in the pipeline");
    }
    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
  }

  @Override
  public Map<TopicPartition, Long> beginning(List<TopicPartition> partitions) {
    return asked(partitions, () -> consumer.beginningOffsets(partitions, timeout));
  }

  @Override
  public Map<TopicPartition, Long> end(List<TopicPartition> partitions) {
    return asked(partitions, () -> consumer.endOffsets(partitions, timeout));
  }

  /** The first offset at or after {@code millis} per partition; the end offset where none is. */
  @Override
  public Map<TopicPartition, Long> atTime(List<TopicPartition> partitions, long millis) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, millis));
    Map<TopicPartition, OffsetAndTimestamp> found =
        asked(partitions, () -> consumer.offsetsForTimes(query, timeout));
    Map<TopicPartition, Long> end = end(partitions);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp o = found.get(p);
      out.put(p, o == null ? end.get(p) : o.offset());
    }
    return out;
  }

  /**
   * The mean size of a record (key, value and headers as stored, uncompressed) in the first records
   * of {@code ranges}: about {@code records} of them, spread over the ranges, read for at most
   * {@code wait}. Empty when none arrived in that time.
   */
  public OptionalDouble meanRecordBytes(List<KafkaRange> ranges, int records, Duration wait) {
    Map<TopicPartition, KafkaRange> open = new HashMap<>();
    for (KafkaRange r : ranges) {
      if (r.count() > 0) {
        open.put(new TopicPartition(r.topic(), r.partition()), r);
      }
    }
    if (open.isEmpty()) {
      return OptionalDouble.empty();
    }
    long perRange = Math.max(1, records / open.size());
    List<TopicPartition> partitions = List.copyOf(open.keySet());
    Map<TopicPartition, Long> seen = new HashMap<>();
    long bytes = 0;
    long count = 0;
    asked(
        partitions,
        () -> {
          consumer.assign(partitions);
          open.forEach((tp, r) -> consumer.seek(tp, r.from()));
          return null;
        });
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> polled =
            asked(partitions, () -> consumer.poll(Duration.ofMillis(200)));
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          KafkaRange range = open.get(tp);
          if (range == null || r.offset() >= range.to()) {
            continue;
          }
          bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
          for (Header h : r.headers()) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
          }
          count++;
          long n = seen.merge(tp, 1L, Long::sum);
          if (n >= perRange || r.offset() + 1 >= range.to()) {
            open.remove(tp);
            consumer.pause(List.of(tp));
          }
        }
      }
    } finally {
      consumer.unsubscribe();
    }
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) bytes / count);
  }

  /** The broker's answer about {@code partitions}, or why it refused to give it. */
  private <T> T asked(List<TopicPartition> partitions, Supplier<T> question) {
    try {
      return question.get();
    } catch (AuthenticationException | AuthorizationException e) {
      throw refused(e, partitions.get(0).topic());
    }
  }

  /** The broker turned this consumer away: the reason, said for the user. */
  private RuntimeException refused(RuntimeException e, String topic) {
    RuntimeException explained = KafkaAccess.explain(e, bootstrap, topic, consumerProperties);
    return explained == null ? e : explained;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
