package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.broker.LocalKafka;
import dev.floe.cli.Main;
import dev.floe.commit.Offsets;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end tests share: a real Kafka broker for the class, a Hadoop-catalog warehouse
 * per test, the {@code run} command line pointed at both, and reads of the result with Iceberg's
 * own reader.
 */
abstract class BrokerAndWarehouse {
  static LocalKafka kafka;

  @TempDir Path dir;

  /** The runs a test started in JVMs of their own: none outlives its test, pass or fail. */
  private static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.start();
  }

  @AfterEach
  void killLeftoverRuns() throws InterruptedException {
    for (Process p : started) {
      // a continuous run waits for the broker on SIGTERM; a failed test must not leave it behind
      p.destroyForcibly().waitFor();
    }
    started.clear();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /**
   * The runner profile the suite runs on ({@code run --profile}); null is the default, the
   * DirectRunner. Subclasses run the same tests on the other runners.
   */
  String profile() {
    return null;
  }

  /** The broker address the runs get; the class's plain broker unless a suite has its own. */
  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * The arguments of {@code floe <command> <pipeline>} against this test's broker and warehouse;
   * {@code run} gets the suite's runner profile.
   */
  List<String> args(String command, String pipeline, String topic, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                pipeline,
                "--set",
                "inputs[0].kafka.bootstrapServers=" + bootstrapServers(),
                "--set",
                "inputs[0].kafka.topic=" + topic,
                "--set",
                "outputs[0].catalog.warehouse=" + dir.resolve("warehouse"),
                "--set",
                "streaming.checkpointLocation=" + dir.resolve("checkpoints"),
                "--set",
                "explain=false"));
    if (command.equals("run") && profile() != null) {
      args.addAll(List.of("--profile", profile()));
    }
    args.addAll(List.of(extra));
    return args;
  }

  /**
   * {@code java -jar target/floe.jar ARGS} in a JVM of its own, as a user or a scheduler runs it,
   * its output (stdout and stderr) to {@code log}.
   */
  static Process startJar(List<String> jvmOptions, List<String> args, Path log) throws IOException {
    return startJar(jvmOptions, args, log, Map.of());
  }

  /** As above, with {@code environment} added to the run's environment. */
  static Process startJar(
      List<String> jvmOptions, List<String> args, Path log, Map<String, String> environment)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", new File("target/floe.jar").getAbsolutePath()));
    command.addAll(args);
    ProcessBuilder process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    process.environment().putAll(environment);
    return track(process.start());
  }

  /** A producer of raw keys and values to the test's broker (for records no sample event makes). */
  static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers", kafka.bootstrapServers(),
            "key.serializer", ByteArraySerializer.class.getName(),
            "value.serializer", ByteArraySerializer.class.getName()));
  }

  /** A run started in a JVM of its own, killed after the test if it is still running. */
  static Process track(Process process) {
    started.add(process);
    return process;
  }

  /** {@code floe run}, in this JVM, through the same entry point as {@code java -jar}. */
  int run(String pipeline, String topic, String... extra) {
    return Main.commandLine().execute(args("run", pipeline, topic, extra).toArray(String[]::new));
  }

  /** A run's exit code and what it printed on stderr. */
  record Run(int exit, String stderr) {}

  /** {@code floe run} in this JVM, as {@link #run}, with what it printed on stderr. */
  Run runCapturingStderr(String pipeline, String topic, String... extra) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(run(pipeline, topic, extra), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
  }

  HadoopCatalog catalog() {
    return new HadoopCatalog(new Configuration(), dir.resolve("warehouse").toUri().toString());
  }

  /** Whether the pipeline's table in this test's warehouse holds any snapshot. */
  boolean committedAnything() {
    return committedAnything(catalog());
  }

  /** Whether table sys01.cloudevents in {@code catalog} holds any snapshot. */
  static boolean committedAnything(HadoopCatalog catalog) {
    TableIdentifier id = TableIdentifier.of("sys01", "cloudevents");
    return catalog.tableExists(id) && catalog.loadTable(id).currentSnapshot() != null;
  }

  Table table(String name) {
    return catalog().loadTable(TableIdentifier.of("sys01", name));
  }

  static List<Record> rows(Table table) throws IOException {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(out::add);
    }
    return out;
  }

  /** Every event in the table exactly once: the count, and as many distinct (source, id). */
  static void assertExactlyOnce(Table table, int events) throws IOException {
    List<String> keys = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).select("source", "id").build()) {
      records.forEach(r -> keys.add(r.getField("source") + "/" + r.getField("id")));
    }
    assertThat(keys).hasSize(events);
    assertThat(new HashSet<>(keys)).hasSize(events);
  }

  /** The topic's end offsets, as {@code floe.kafka.offsets} holds them once all is read. */
  static Offsets endOffsets(String topic, int partitions) throws Exception {
    try (var admin = kafka.admin()) {
      return endOffsets(admin, topic, partitions);
    }
  }

  /** As above, asked through {@code admin}. */
  static Offsets endOffsets(Admin admin, String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new TreeMap<>();
    admin.listOffsets(specs).all().get().forEach((tp, i) -> ends.put(tp.partition(), i.offset()));
    return Offsets.of(Map.of(topic, ends));
  }
}
