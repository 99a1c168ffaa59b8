package dev.floe.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sample CloudEvents: sensor readings from {@link #SOURCES}, spread evenly over a span of event
 * time, alternating structured mode (even sequence numbers) and binary mode (odd), with {@code
 * time} written in several RFC 3339 forms (UTC, offsets, milli- and microseconds). Deterministic
 * for a seed.
 */
public final class SampleEvents {
  public static final List<String> SOURCES =
      List.of(
          "/sensors/building-a",
          "/sensors/building-b",
          "/sensors/building-c",
          "/sensors/warehouse-1",
          "/sensors/warehouse-2",
          "/sensors/lab");

  /** The benchmark's ten sources: ten sources times 24 hours gives 240 table partitions. */
  public static final List<String> BENCH_SOURCES =
      List.of(
          "/sensors/building-a",
          "/sensors/building-b",
          "/sensors/building-c",
          "/sensors/building-d",
          "/sensors/warehouse-1",
          "/sensors/warehouse-2",
          "/sensors/warehouse-3",
          "/sensors/lab",
          "/sensors/roof",
          "/sensors/datacenter");

  public static final String TYPE = "com.example.sensor.reading";

  /**
   * What a generated topic looks like.
   *
   * @param sources the event sources, chosen per event
   * @param modes which events are in binary mode
   * @param traceExtensions add the {@code traceparent} and {@code sequence} extension attributes
   *     (bringing a structured event to about 400 bytes)
   */
  public record Shape(List<String> sources, ContentModes modes, boolean traceExtensions) {
    /** The tests' and demo's topic: six sources, both content modes. */
    public static final Shape MIXED = new Shape(SOURCES, ContentModes.MIXED, false);

    /** The benchmark's topic: ten sources, structured-mode JSON of ~400 bytes, as peers read. */
    public static final Shape BENCH = new Shape(BENCH_SOURCES, ContentModes.STRUCTURED, true);

    /** Bench's events with every other one in binary mode. */
    public static final Shape BENCH_MIXED = new Shape(BENCH_SOURCES, ContentModes.MIXED, true);

    /** Bench's events, all in binary mode: attributes in headers, the data as the value. */
    public static final Shape BENCH_BINARY = new Shape(BENCH_SOURCES, ContentModes.BINARY, true);
  }

  /** The CloudEvents content modes of a topic's events. */
  public enum ContentModes {
    /** Every event a JSON envelope. */
    STRUCTURED,
    /** Odd sequence numbers in binary mode, even ones structured. */
    MIXED,
    /** Every event in binary mode. */
    BINARY;

    boolean binary(long sequence) {
      return this == BINARY || this == MIXED && sequence % 2 == 1;
    }
  }

  private static final String[] STATUSES = {"ok", "ok", "ok", "warn", "fault"};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One generated event, as a test expects to find it in the table. */
  public record Event(
      String id,
      String source,
      String time,
      boolean binary,
      String deviceId,
      double temperature,
      int humidity,
      String status,
      List<String> tags,
      ProducerRecord<byte[], byte[]> record) {}

  private SampleEvents() {}

  /**
   * Events {@code first} to {@code first + count - 1}, with event times from {@code start} evenly
   * over {@code span}.
   */
  public static List<Event> generate(
      String topic, int first, int count, Instant start, Duration span, long seed) {
    return generate(Shape.MIXED, topic, first, count, start, span, seed);
  }

  /**
   * The events {@code bench --micro} measures (and the DuckDB reference converts): {@code count}
   * bench-shaped events over 24 hours of event time, always the same for the same count.
   */
  public static List<Event> microBench(int count) {
    return generate(
        Shape.BENCH,
        "micro",
        0,
        count,
        Instant.parse("2026-11-01T00:00:00Z"),
        Duration.ofHours(24),
        42);
  }

  /** As above, in the given shape. */
  public static List<Event> generate(
      Shape shape, String topic, int first, int count, Instant start, Duration span, long seed) {
    List<String> sources = shape.sources();
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = first + i;
      Instant at = start.plus(span.multipliedBy(i).dividedBy(Math.max(1, count)));
      String source = sources.get(Math.floorMod(n * 7 + random.nextInt(3), sources.size()));
      String deviceId = "dev-" + (n % 40);
      double temperature = Math.round((15 + random.nextDouble() * 15) * 100) / 100.0;
      int humidity = 30 + random.nextInt(50);
      String status = STATUSES[random.nextInt(STATUSES.length)];
      List<String> tags = List.of("floor-" + (n % 4), n % 3 == 0 ? "hvac" : "power");
      String id = "evt-" + n;
      String time = timeText(at, n);
      boolean binary = shape.modes().binary(n);
      ObjectNode data =
          JSON.createObjectNode()
              .put("deviceId", deviceId)
              .put("temperature", temperature)
              .put("humidity", humidity)
              .put("status", status);
      tags.forEach(data.putArray("tags")::add);
      ProducerRecord<byte[], byte[]> record =
          binary
              ? binary(topic, id, source, time, deviceId, data)
              : structured(
                  topic,
                  id,
                  source,
                  time,
                  deviceId,
                  data,
                  shape.traceExtensions() ? traceparent(random) : null,
                  n);
      events.add(
          new Event(
              id, source, time, binary, deviceId, temperature, humidity, status, tags, record));
    }
    return events;
  }

  /** RFC 3339 in the forms producers use: UTC seconds, microseconds, offsets with millis. */
  static String timeText(Instant at, int n) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    return switch (n % 4) {
      case 0 -> at.truncatedTo(ChronoUnit.SECONDS).toString();
      case 1 ->
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
              .format(OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
      case 2 ->
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
              .format(OffsetDateTime.ofInstant(at, ZoneOffset.ofHoursMinutes(5, 30)));
      default ->
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
              .format(OffsetDateTime.ofInstant(micros, ZoneOffset.ofHours(-8)));
    };
  }

  /** A W3C trace context header value: version, 16-byte trace id, 8-byte parent id, flags. */
  private static String traceparent(Random random) {
    return String.format(
        "00-%016x%016x-%016x-01", random.nextLong(), random.nextLong(), random.nextLong());
  }

  private static ProducerRecord<byte[], byte[]> structured(
      String topic,
      String id,
      String source,
      String time,
      String key,
      ObjectNode data,
      String traceparent,
      int sequence) {
    ObjectNode event =
        JSON.createObjectNode()
            .put("specversion", "1.0")
            .put("id", id)
            .put("source", source)
            .put("type", TYPE)
            .put("time", time)
            .put("datacontenttype", "application/json")
            .put("subject", key)
            .put("region", "eu-west");
    if (traceparent != null) {
      event.put("traceparent", traceparent).put("sequence", String.valueOf(sequence));
    }
    event.set("data", data);
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(topic, bytes(key), bytes(event.toString()));
    r.headers().add("content-type", bytes("application/cloudevents+json; charset=UTF-8"));
    return r;
  }

  private static ProducerRecord<byte[], byte[]> binary(
      String topic, String id, String source, String time, String key, ObjectNode data) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(topic, bytes(key), bytes(data.toString()));
    Map.of(
            "ce_specversion",
            "1.0",
            "ce_id",
            id,
            "ce_source",
            source,
            "ce_type",
            TYPE,
            "ce_time",
            time,
            "ce_subject",
            key,
            "ce_region",
            "us-east",
            "content-type",
            "application/json")
        .forEach((k, v) -> r.headers().add(k, bytes(v)));
    return r;
  }

  /**
   * Sends the events, in order, and waits until the broker has acknowledged every one; throws if
   * any could not be written (a sample that silently lacks events would make every count wrong).
   * One request in flight keeps the order without the idempotent producer, whose sequence numbers a
   * single-node test broker was seen to reject (OutOfOrderSequenceException).
   */
  public static void produce(String bootstrap, List<Event> events) {
    produce(bootstrap, events, "none");
  }

  /** As above, compressed by the producer ({@code compression.type}: none, lz4, zstd, ...). */
  public static void produce(String bootstrap, List<Event> events, String compression) {
    Map<String, Object> config = new HashMap<>(producerConfig(bootstrap));
    config.put("compression.type", compression);
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      events.forEach(e -> sent.add(producer.send(e.record())));
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        try {
          sent.get(i).get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "could not produce sample event " + events.get(i).id() + ": " + e.getCause(), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing sample events", e);
    }
  }

  /** A producer of sample events: acknowledged by every replica, in order per partition. */
  public static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        "bootstrap.servers",
        bootstrap,
        "key.serializer",
        ByteArraySerializer.class.getName(),
        "value.serializer",
        ByteArraySerializer.class.getName(),
        "acks",
        "all",
        "linger.ms",
        10,
        "enable.idempotence",
        false,
        "max.in.flight.requests.per.connection",
        1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
