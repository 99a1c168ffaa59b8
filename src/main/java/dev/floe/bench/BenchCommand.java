package dev.floe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.broker.LocalKafka;
import dev.floe.config.PipelineConfig;
import dev.floe.config.PipelineLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe bench}: the append pipeline on one or more runners over one topic of sample
 * CloudEvents, each run a fresh {@code java -jar} process into a fresh warehouse, measured from
 * outside (wall clock, peak RSS) and from its audit log (batch and commit time).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the append pipeline: produces --events sample CloudEvents once per (events,"
          + " partitions) and reuses the topic, then runs the pipeline on each runner, --repeat"
          + " times, interleaved, each run a fresh JVM writing a fresh warehouse. Prints a JSON"
          + " line per run and a table of medians."
    })
public final class BenchCommand implements Callable<Integer> {
  /** The exit code when a run failed or lost rows (as {@code run}'s: the run failed). */
  private static final int RUN_FAILED = 4;

  @Option(
      names = "--runner",
      defaultValue = "all",
      description = "direct, flink, spark or all (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(
      names = "--events",
      defaultValue = "1000000",
      description = "Events in the topic (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Runs per runner, interleaved across runners (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--bootstrap",
      description = "A broker to use; without it, bench starts one in this JVM.")
  String bootstrap;

  @Option(
      names = "--work-dir",
      defaultValue = "bench-work",
      description = "Warehouses, logs and extracted files (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--peer",
      paramLabel = "NAME=COMMAND",
      description =
          "Another system's run of the same job, interleaved with Floe's runs: a"
              + " command taking --bootstrap, --topic, --warehouse and --table and printing a JSON"
              + " line with records, seconds and data_files last (repeatable).")
  Map<String, String> peers = new LinkedHashMap<>();

  @Option(
      names = "--micro",
      arity = "0..1",
      fallbackValue = "200000",
      paramLabel = "EVENTS",
      description =
          "Instead of runs: the per-record hot path (decode, steps, Iceberg record,"
              + " Parquet write) in this JVM, one thread, over EVENTS in-memory events (default"
              + " 200000); 2 warm-up rounds, then --repeat rounds (at least 5), ns/record per stage.")
  Integer micro;

  @Option(
      names = "--jvm-option",
      paramLabel = "[RUNNER:]OPTION",
      description =
          "An option for the JVM of each run, or with a runner's name in front only of"
              + " that runner's runs: --jvm-option=-Xmx4g, --jvm-option=flink:-Xmx1g (repeatable)."
              + " A runner that gets any replaces its defaults: flink "
              + JvmOptions.FLINK_JVM_OPTIONS
              + ", direct "
              + JvmOptions.DIRECT_JVM_OPTIONS
              + ", spark "
              + JvmOptions.SPARK_JVM_OPTIONS
              + " (on Linux with huge pages on request, flink and spark also "
              + JvmOptions.HUGE_PAGES
              + ").")
  List<String> jvmOptions = new ArrayList<>();

  @Option(
      names = "--class-archive",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run each runner with a class-data archive of this jar (the JDK's AppCDS),"
              + " made once per jar and runner by a short training run: classes are mapped from the"
              + " archive instead of being read from the jar and verified. --no-class-archive runs"
              + " without. Default: with.")
  boolean classArchive;

  @Option(
      names = "--continuous",
      description =
          "Instead of batch runs: continuous runs (--trigger-duration) while events arrive at"
              + " --rate for --seconds, one fresh topic and warehouse per run; prints freshness"
              + " (commit time minus Kafka timestamp, per row) p50/p95 and whether the run kept"
              + " up. --runner defaults to flink; --peer commands get --trigger-duration and"
              + " --run-seconds.")
  boolean continuous;

  @Option(
      names = "--rate",
      split = ",",
      defaultValue = "20000",
      description = "With --continuous: events per second, one run per rate (default: 20000).")
  List<Integer> rates;

  @Option(
      names = "--seconds",
      defaultValue = "120",
      description =
          "With --continuous: how long events are produced; the first --warm-up seconds"
              + " are left out of the freshness figures (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warm-up",
      defaultValue = "15",
      description =
          "With --continuous: seconds after the first commit left out (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(
      names = "--trigger-duration",
      defaultValue = "5",
      description = "With --continuous: the window, in seconds (default: ${DEFAULT-VALUE}).")
  int triggerSeconds;

  @Option(
      names = "--compression",
      defaultValue = "none",
      description =
          "The producer's compression of the topic: none, lz4, zstd, snappy, gzip"
              + " (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(
      names = "--mode",
      defaultValue = "structured",
      description =
          "The events' CloudEvents mode: structured (JSON values, what the peers read), mixed"
              + " (every other event in binary mode: data as the value, attributes as headers) or"
              + " binary (every event so) (default: ${DEFAULT-VALUE}).")
  Mode mode;

  /** The CloudEvents modes of a bench topic. */
  enum Mode {
    structured,
    mixed,
    binary
  }

  private final ObjectMapper json = new ObjectMapper();

  /** The JVM options of {@code runner}'s runs (see {@link JvmOptions#jvmOptionsFor}). */
  static List<String> jvmOptionsFor(String runner, List<String> options) {
    return JvmOptions.jvmOptionsFor(runner, options);
  }

  @Override
  public Integer call() throws Exception {
    if (micro != null) {
      Path pipeline = extract("pipelines/cloudevents-append.yaml");
      PipelineConfig config = new PipelineLoader(name -> null).load(pipeline, List.of());
      return new HotPathBench(config, micro, workDir.resolve("micro"), System.out)
          .run(2, Math.max(5, repeat));
    }
    List<String> runners =
        runner.equals("all")
            ? (continuous ? List.of("flink") : JvmOptions.RUNNERS)
            : List.of(runner.split(","));
    for (String r : runners) {
      if (!JvmOptions.RUNNERS.contains(r)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--runner: '" + r + "' is not direct, flink or spark");
      }
    }
    for (String name : peers.keySet()) {
      if (JvmOptions.RUNNERS.contains(name)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "--peer "
                + name
                + "=...: '"
                + name
                + "' names a runner of Floe; give the peer another"
                + " name (e.g. spark-ss)");
      }
    }
    Path jar = runningJar();
    Files.createDirectories(workDir);
    Path pipeline = extract("pipelines/cloudevents-append.yaml");
    Map<String, Path> profiles = new HashMap<>();
    for (String r : runners) {
      profiles.put(
          r,
          extract("runner-profiles/" + (r.equals("direct") ? "direct" : r + "-local") + ".yaml"));
    }
    PrintStream out = System.out;
    LocalKafka local = null;
    try {
      if (bootstrap == null) {
        local = LocalKafka.start();
        bootstrap = local.bootstrapServers();
      }
      if (continuous) {
        return continuous(jar, pipeline, profiles, runners, out);
      }
      if (mode != Mode.structured && !peers.isEmpty()) {
        out.println(
            "note: the peers decode structured mode only; on a "
                + mode
                + " topic compare Floe's runners");
      }
      String topic = BenchTopic.name(events, partitions, compression, mode);
      long valueBytes =
          BenchTopic.ensure(bootstrap, topic, events, partitions, compression, mode, out);
      ChildRuns runs = new ChildRuns(workDir, bootstrap, events, jvmOptions);
      Map<String, Path> archives = new HashMap<>();
      if (classArchive) {
        for (String r : runners) {
          archives.put(r, runs.trainClassArchive(jar, pipeline, profiles.get(r), r, topic, out));
        }
      }
      List<String> names = new ArrayList<>(runners);
      names.addAll(peers.keySet());
      List<ObjectNode> results = new ArrayList<>();
      for (int i = 1; i <= repeat; i++) {
        for (String name : roundOrder(names, i)) {
          ObjectNode result =
              peers.containsKey(name)
                  ? runs.runPeer(name, peers.get(name), i, topic, valueBytes)
                  : runs.runOnce(
                      jar,
                      pipeline,
                      profiles.get(name),
                      name,
                      archives.get(name),
                      i,
                      topic,
                      valueBytes);
          out.println(json.writeValueAsString(result));
          results.add(result);
        }
      }
      BenchTable.print(results, names, repeat, events, partitions, out);
      return results.stream().allMatch(r -> r.path("ok").asBoolean()) ? 0 : RUN_FAILED;
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /**
   * The order of round {@code round} (from 1): {@code names} turned by one place per round, so that
   * each system in turn runs first, and after a different one, rather than the first always meeting
   * whatever the set-up or the previous round left the machine doing.
   */
  static List<String> roundOrder(List<String> names, int round) {
    List<String> order = new ArrayList<>(names);
    Collections.rotate(order, 1 - round); // rotate takes any distance, modulo the size
    return order;
  }

  private int continuous(
      Path jar, Path pipeline, Map<String, Path> profiles, List<String> runners, PrintStream out)
      throws Exception {
    ContinuousBench bench =
        new ContinuousBench(
            jar,
            workDir,
            bootstrap,
            new ContinuousBench.Settings(
                java.time.Duration.ofSeconds(triggerSeconds),
                java.time.Duration.ofSeconds(seconds),
                java.time.Duration.ofSeconds(warmUp),
                partitions,
                compression,
                jvmOptions),
            out);
    Map<String, Path> archives = new HashMap<>();
    if (classArchive) {
      // the archive bin/floe gives every run of a runner, batch or continuous, made as it makes it:
      // by a short batch (on a topic of its own here, the measured topics start empty)
      String training = BenchTopic.name(ChildRuns.TRAINING_EVENTS, partitions, compression, mode);
      BenchTopic.ensure(
          bootstrap, training, ChildRuns.TRAINING_EVENTS, partitions, compression, mode, out);
      ChildRuns runs = new ChildRuns(workDir, bootstrap, ChildRuns.TRAINING_EVENTS, jvmOptions);
      for (String r : runners) {
        archives.put(r, runs.trainClassArchive(jar, pipeline, profiles.get(r), r, training, out));
      }
    }
    List<ObjectNode> results = new ArrayList<>();
    for (int i = 1; i <= repeat; i++) {
      for (int rate : rates) {
        for (String r : runners) {
          results.add(bench.floe(r, pipeline, profiles.get(r), archives.get(r), rate));
          out.println(json.writeValueAsString(results.get(results.size() - 1)));
        }
        for (Map.Entry<String, String> peer : peers.entrySet()) {
          results.add(bench.peer(peer.getKey(), peer.getValue(), rate));
          out.println(json.writeValueAsString(results.get(results.size() - 1)));
        }
      }
    }
    ContinuousBench.printTable(results, out);
    return results.stream().allMatch(r -> r.path("ok").asBoolean()) ? 0 : RUN_FAILED;
  }

  private static Path runningJar() {
    try {
      Path self =
          Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
        return self;
      }
    } catch (Exception e) {
      // not from a jar
    }
    throw new IllegalStateException(
        "bench runs each measurement as java -jar of the jar it runs"
            + " from: build it (mvn -B -DskipTests package) and run java -jar target/floe.jar bench");
  }

  /** A file bundled in the jar, copied to the work directory so each run reads the same one. */
  private Path extract(String resource) throws IOException {
    Path target = workDir.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = BenchCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not in the jar");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target.toAbsolutePath();
  }
}
