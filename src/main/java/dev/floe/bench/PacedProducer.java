package dev.floe.bench;

import dev.floe.demo.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the benchmark's sample events at a fixed rate, as a steady upstream does: every 100 ms a
 * tenth of a second's events, stamped by Kafka with the time they are sent. The rate it kept is
 * reported, so a run whose producer fell behind is not mistaken for one whose consumer did.
 */
final class PacedProducer {
  private static final Logger LOG = LoggerFactory.getLogger(PacedProducer.class);
  private static final int TICKS_PER_SECOND = 10;

  /** What was produced: how many, from when to when (epoch ms). */
  record Produced(long events, long startedMs, long endedMs) {
    double ratePerSecond() {
      return events * 1000.0 / Math.max(1, endedMs - startedMs);
    }
  }

  private PacedProducer() {}

  /** Produces {@code rate} events a second to {@code topic} for {@code duration}. */
  static Produced run(
      String bootstrap, String topic, int rate, Duration duration, String compression)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>(SampleEvents.producerConfig(bootstrap));
    // a steady upstream at tens of thousands of events a second: batches in flight, not one
    config.put("max.in.flight.requests.per.connection", 5);
    config.put("linger.ms", 5);
    config.put("compression.type", compression);
    long perTick = Math.max(1, rate / TICKS_PER_SECOND);
    long ticks = duration.toSeconds() * TICKS_PER_SECOND;
    long produced = 0;
    long started = System.currentTimeMillis();
    long startedNanos = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (long tick = 0; tick < ticks; tick++) {
        long due = startedNanos + tick * (1_000_000_000L / TICKS_PER_SECOND);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        for (SampleEvents.Event e :
            SampleEvents.generate(
                SampleEvents.Shape.BENCH,
                topic,
                (int) produced,
                (int) perTick,
                Instant.now(),
                Duration.ofMillis(100),
                tick)) {
          producer.send(e.record());
        }
        produced += perTick;
      }
      producer.flush();
    }
    Produced result = new Produced(produced, started, System.currentTimeMillis());
    LOG.info(
        "produced {} events to {} at {} events/s (asked {})",
        produced,
        topic,
        Math.round(result.ratePerSecond()),
        rate);
    return result;
  }
}
