package dev.floe.bench;

import dev.floe.demo.SampleEvents;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The topic bench measures on: {@code bench-cloudevents-<events>-<partitions>}, with {@code
 * -<compression>} and {@code -mixed} where they are not the defaults; produced once and reused by
 * later invocations against the same broker.
 */
final class BenchTopic {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final int CHUNK = 50_000;

  private BenchTopic() {}

  /** The topic's name for these events, partitions, producer compression and mode. */
  static String name(int events, int partitions, String compression, BenchCommand.Mode mode) {
    return "bench-cloudevents-"
        + events
        + "-"
        + partitions
        + (compression.equals("none") ? "" : "-" + compression)
        + (mode == BenchCommand.Mode.structured ? "" : "-" + mode);
  }

  /**
   * The topic with exactly {@code events} events, produced now if it is not there yet: structured
   * mode, every other event in binary mode ({@code mixed}, the demo's shape with bench's sources)
   * or all in binary mode, compressed by the producer with {@code compression}.
   */
  static long ensure(
      String bootstrap,
      String topic,
      int events,
      int partitions,
      String compression,
      BenchCommand.Mode mode,
      PrintStream out)
      throws Exception {
    SampleEvents.Shape shape =
        switch (mode) {
          case structured -> SampleEvents.Shape.BENCH;
          case mixed -> SampleEvents.Shape.BENCH_MIXED;
          case binary -> SampleEvents.Shape.BENCH_BINARY;
        };
    long valueBytes = 0;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      boolean exists = admin.listTopics().names().get().contains(topic);
      long present = exists ? endOffsetSum(admin, topic) : 0;
      if (exists && present != events) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " holds "
                + present
                + " records, not "
                + events
                + ": delete it or use another broker");
      }
      if (!exists) {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      }
      long started = System.nanoTime();
      for (int first = 0; first < events; first += CHUNK) {
        int n = Math.min(CHUNK, events - first);
        // 24 hours of event time across the topic, in order
        Duration span = Duration.ofHours(24).multipliedBy(n).dividedBy(events);
        Instant from = START.plus(Duration.ofHours(24).multipliedBy(first).dividedBy(events));
        List<SampleEvents.Event> chunk =
            SampleEvents.generate(shape, topic, first, n, from, span, first);
        for (SampleEvents.Event e : chunk) {
          valueBytes += e.record().value().length;
        }
        if (!exists) {
          SampleEvents.produce(bootstrap, chunk, compression);
        }
      }
      out.printf(
          "%s %s: %,d events, %,d partitions, %.1f MB of values%s%n",
          exists ? "reusing" : "produced",
          topic,
          events,
          partitions,
          valueBytes / 1e6,
          exists ? "" : String.format(" in %.1f s", (System.nanoTime() - started) / 1e9));
    }
    return valueBytes;
  }

  private static long endOffsetSum(Admin admin, String topic) throws Exception {
    int count =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < count; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(specs).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }
}
