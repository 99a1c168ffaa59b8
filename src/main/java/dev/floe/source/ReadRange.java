package dev.floe.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one planned range {@code [from, to)} of one partition with a plain Kafka consumer, assigned
 * (no consumer group) and positioned at {@code from}, and outputs its records in offset order. The
 * range is done when the consumer's position reaches {@code to}, so offsets that hold no record
 * (compaction, transaction markers) end it too. A record the range should hold that the broker no
 * longer has fails the read ({@code auto.offset.reset: none}): the batch commits nothing and the
 * next run's plan decides what retention took. With a deadline the read stops after the poll that
 * passes it; the offsets to commit come from the records read.
 *
 * <p>A range is one element, read in one call: every runner gets the whole range as one bundle,
 * where a splittable read would hand the Direct runner a bundle per checkpoint (100 records).
 */
final class ReadRange extends DoFn<KafkaRange, KafkaRecord<byte[], byte[]>> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRange.class);
  private static final Duration POLL = Duration.ofMillis(500);

  /** Beam's timestamp types, in the order of Kafka's. */
  private static final KafkaTimestampType[] TIMESTAMP_TYPES = KafkaTimestampType.values();

  /** How long the position may stay below the range's end before the read gives up. */
  static final Duration STALL = Duration.ofMinutes(2);

  private final String bootstrapServers;
  private final Map<String, String> consumerProperties;
  private final ReadDeadline deadline;

  /**
   * @param deadline when to stop reading early; null to read every range to its end
   */
  ReadRange(
      String bootstrapServers, Map<String, String> consumerProperties, ReadDeadline deadline) {
    this.bootstrapServers = bootstrapServers;
    this.consumerProperties = consumerProperties;
    this.deadline = deadline;
  }

  /**
   * The consumer's settings: the pipeline's {@code kafka.properties}, except that Floe owns where
   * reading starts and what is committed (nothing: offsets live in the Iceberg table).
   */
  Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 512 * 1024);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    config.putAll(consumerProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  @ProcessElement
  public void process(@Element KafkaRange range, OutputReceiver<KafkaRecord<byte[], byte[]>> out) {
    TopicPartition tp = new TopicPartition(range.topic(), range.partition());
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      consumer = new KafkaConsumer<>(consumerConfig());
      consumer.assign(List.of(tp));
      consumer.seek(tp, range.from());
      long position = range.from();
      long started = System.nanoTime();
      long progressAt = started;
      LOG.debug("reading {} [{}, {})", tp, range.from(), range.to());
      while (position < range.to()) {
        if (deadline != null && deadline.apply(tp)) {
          LOG.info(
              "{}: the read deadline passed at offset {}, before the planned end {}; the"
                  + " batch commits what was read",
              tp,
              position,
              range.to());
          return;
        }
        int emitted = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
          if (r.offset() >= range.to()) {
            break;
          }
          out.output(
              new KafkaRecord<>(
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  r.timestamp(),
                  timestampType(r.timestampType()),
                  r.headers(),
                  r.key(),
                  r.value()));
          emitted++;
        }
        ReadProgress.add(emitted);
        long now = consumer.position(tp);
        if (now > position) {
          position = now;
          progressAt = System.nanoTime();
        } else if (System.nanoTime() - progressAt > STALL.toNanos()) {
          throw new IllegalStateException(stalled(range, position));
        }
      }
      LOG.debug(
          "read {} [{}, {}) in {} ms",
          tp,
          range.from(),
          range.to(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (KafkaException e) {
      RuntimeException refused =
          KafkaAccess.explain(e, bootstrapServers, range.topic(), consumerProperties);
      if (refused != null) {
        throw refused;
      }
      throw new IllegalStateException(
          "cannot read offsets "
              + range.from()
              + " to "
              + (range.to() - 1)
              + " of "
              + tp
              + " from "
              + bootstrapServers
              + ": "
              + e.getMessage()
              + ". The batch committed nothing; the next run reads the range again",
          e);
    } finally {
      if (consumer != null) {
        // Without waiting: the read is done and Floe commits nothing to Kafka, but a range that
        // ends at the end of its partition leaves a fetch in flight that the broker holds for
        // fetch.max.wait.ms (no new records); a graceful close would wait that long for it,
        // and the worker would sit idle before its next slice.
        consumer.close(Duration.ZERO);
      }
    }
  }

  /**
   * Beam's name for a record's timestamp type: by the position of Kafka's constant, as Beam's own
   * KafkaIO maps it (Kafka's ids start at -1), without copying the enum's values per record.
   */
  static KafkaTimestampType timestampType(TimestampType kafka) {
    return TIMESTAMP_TYPES[kafka.ordinal()];
  }

  static String stalled(KafkaRange range, long position) {
    return "reading "
        + range.topic()
        + "-"
        + range.partition()
        + " stopped at offset "
        + position
        + " for "
        + STALL.toMinutes()
        + " minutes, before the planned end "
        + range.to()
        + ". Check that the broker is up (with read_committed, that no transaction stays open);"
        + " the batch committed nothing";
  }
}
