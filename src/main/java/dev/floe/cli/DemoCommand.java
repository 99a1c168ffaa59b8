package dev.floe.cli;

import dev.floe.broker.LocalKafka;
import dev.floe.config.PipelineConfig;
import dev.floe.config.PipelineLoader;
import dev.floe.demo.SampleEvents;
import dev.floe.pipeline.BatchJob;
import dev.floe.pipeline.BatchResult;
import dev.floe.pipeline.Runs;
import dev.floe.runner.RunnerProfile;
import dev.floe.table.Catalogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe demo}: the reference job end to end on this machine, with a broker Floe starts
 * itself, sample CloudEvents and the DirectRunner.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a Kafka broker (KRaft) on loopback, creates topic cloudevents (3 partitions),"
          + " produces sample CloudEvents in structured and binary mode, and runs"
          + " pipelines/cloudevents.yaml on the DirectRunner into the warehouse; then produces"
          + " more events, later in event time, and runs again to show that only the new events"
          + " are read. Stops the broker at the end.",
      "The demo table (sys01.cloudevents in the warehouse) is replaced at the start."
    })
final class DemoCommand implements Callable<Integer> {
  static final String PIPELINE = "pipelines/cloudevents.yaml";
  static final String TOPIC = "cloudevents";

  /** Event time of the first sample event. */
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  @Option(names = "--events", description = "Events in the first batch (default ${DEFAULT-VALUE}).")
  int events = 10_000;

  @Option(
      names = "--more-events",
      description = "Events in the second batch (default ${DEFAULT-VALUE}).")
  int moreEvents = 1_000;

  @Option(
      names = "--warehouse",
      description = "Hadoop warehouse directory (default ${DEFAULT-VALUE}).")
  Path warehouse = Path.of("warehouse");

  @Override
  public Integer call() throws IOException {
    Main.prepareBeamOptionsInBackground();
    PrintStream out = System.out;
    long started = System.nanoTime();
    out.println("== Starting a Kafka broker (KRaft, single node) on loopback");
    try (LocalKafka kafka = LocalKafka.start()) {
      kafka.createTopic(TOPIC, 3);
      out.printf("broker at %s, topic %s with 3 partitions%n", kafka.bootstrapServers(), TOPIC);
      Map<String, String> env =
          Map.of(
              "KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
              "KAFKA_TOPIC", TOPIC,
              "FLOE_WAREHOUSE", warehouse.toString(),
              "FLOE_CHECKPOINTS", warehouse.resolveSibling("checkpoints").toString());
      PipelineConfig config =
          new PipelineLoader(v -> env.getOrDefault(v, System.getenv(v)))
              .parse(PIPELINE, pipelineText(), List.of());
      config.warnings().forEach(w -> out.println("warning: " + w));
      dropPreviousDemo(config, out);

      Duration span = Duration.ofHours(8);
      produce(kafka, 0, events, START, span, out);
      out.println();
      Explain.print(new BatchJob(config), out);
      out.println();
      List<BatchResult> first =
          Runs.run(
              config,
              config.streaming().triggerMode(),
              c -> RunnerProfile.options(null, List.of(), config.name(), System::getenv, c),
              out);

      out.println();
      produce(
          kafka,
          events,
          moreEvents,
          START.plus(span).plus(Duration.ofHours(1)),
          Duration.ofHours(2),
          out);
      List<BatchResult> second =
          Runs.run(
              config,
              config.streaming().triggerMode(),
              c -> RunnerProfile.options(null, List.of(), config.name(), System::getenv, c),
              out);

      out.println();
      out.println("== Demo summary");
      out.printf(
          "first run read %,d records, second run %,d (only the new ones)%n",
          first.stream().mapToLong(r -> r.plan().records()).sum(),
          second.stream().mapToLong(r -> r.plan().records()).sum());
      Table table = new BatchJob(config).tableOrNull();
      out.printf(
          "table %s in %s: %s rows, %d snapshots, current snapshot %d%n",
          table.name(),
          warehouse.toAbsolutePath(),
          table.currentSnapshot().summary().get("total-records"),
          count(table.snapshots()),
          table.currentSnapshot().snapshotId());
      out.println("stopping the broker");
    }
    out.printf("demo finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private static void produce(
      LocalKafka kafka, int first, int count, Instant start, Duration span, PrintStream out) {
    long t = System.nanoTime();
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(TOPIC, first, count, start, span, 42 + first));
    out.printf(
        "produced %,d CloudEvents (half structured, half binary mode; %d sources; event"
            + " time %s to %s) in %.1f s%n",
        count, SampleEvents.SOURCES.size(), start, start.plus(span), (System.nanoTime() - t) / 1e9);
  }

  /** The demo's topic is new on every run, so the table's offsets from an earlier demo go. */
  private static void dropPreviousDemo(PipelineConfig config, PrintStream out) {
    Catalog catalog = Catalogs.load(config.output().catalogProperties());
    for (String name : List.of(config.sink().datasetName(), config.sink().deadLetterTableName())) {
      TableIdentifier id = TableIdentifier.of(config.output().namespace(), name);
      if (catalog.tableExists(id)) {
        catalog.dropTable(id, true);
        out.printf("dropped %s from an earlier demo%n", id);
      }
    }
  }

  /** The pipeline file in the working directory, else the copy inside the jar. */
  private static String pipelineText() throws IOException {
    Path file = Path.of(PIPELINE);
    if (Files.exists(file)) {
      return Files.readString(file);
    }
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(PIPELINE)) {
      if (in == null) {
        throw new IllegalStateException(
            PIPELINE + " is missing from the working directory and the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static long count(Iterable<?> items) {
    long n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
