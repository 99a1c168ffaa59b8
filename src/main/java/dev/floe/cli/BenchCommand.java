package dev.floe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.broker.LocalKafka;
import dev.floe.demo.SampleEvents;
import dev.floe.sink.Catalogs;
import dev.floe.spec.PipelineSpec;
import dev.floe.spec.SpecLoader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
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
final class BenchCommand implements Callable<Integer> {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final int CHUNK = 50_000;

  @Option(names = "--runner", defaultValue = "all",
      description = "direct, flink, spark or all (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--events", defaultValue = "1000000",
      description = "Events in the topic (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--partitions", defaultValue = "6",
      description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--repeat", defaultValue = "1",
      description = "Runs per runner, interleaved across runners (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--bootstrap",
      description = "A broker to use; without it, bench starts one in this JVM.")
  String bootstrap;

  @Option(names = "--work-dir", defaultValue = "bench-work",
      description = "Warehouses, logs and extracted files (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--peer", paramLabel = "NAME=COMMAND",
      description = "Another system's run of the same job, interleaved with Floe's runs: a"
          + " command taking --bootstrap, --topic, --warehouse and --table and printing a JSON"
          + " line with records, seconds and data_files last (repeatable).")
  Map<String, String> peers = new LinkedHashMap<>();

  @Option(names = "--micro", arity = "0..1", fallbackValue = "200000", paramLabel = "EVENTS",
      description = "Instead of runs: the per-record hot path (decode, steps, Iceberg record,"
          + " Parquet write) in this JVM, one thread, over EVENTS in-memory events (default"
          + " 200000); 2 warm-up rounds, then --repeat rounds (at least 5), ns/record per stage.")
  Integer micro;

  /**
   * Map the class archive at the address it was written for: the JDK's default here moves it
   * elsewhere and rewrites every pointer in it (0.7 s of start-up for Flink's 185 MB archive;
   * with this flag {@code java -version} takes 0.11 s instead of 0.88 s). Where that address is
   * taken the JVM still moves it.
   */
  static final List<String> ARCHIVE_AT_ITS_ADDRESS =
      List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

  /** Flink embedded's default JVM options in bench (see {@link #DEFAULT_JVM_OPTIONS}). */
  static final String FLINK_JVM_OPTIONS = "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseParallelGC";

  /** Direct's default JVM options in bench: the runner holds a batch in memory. */
  static final String DIRECT_JVM_OPTIONS = "-Xmx2g";

  /** Spark's default JVM options in bench. */
  static final String SPARK_JVM_OPTIONS = "-Xmx1g";

  @Option(names = "--jvm-option", paramLabel = "[RUNNER:]OPTION",
      description = "An option for the JVM of each run, or with a runner's name in front only of"
          + " that runner's runs: --jvm-option=-Xmx4g, --jvm-option=flink:-Xmx1g (repeatable)."
          + " A runner that gets any replaces its defaults: flink " + FLINK_JVM_OPTIONS
          + ", direct " + DIRECT_JVM_OPTIONS + ", spark " + SPARK_JVM_OPTIONS + ".")
  List<String> jvmOptions = new ArrayList<>();

  /**
   * The JVM options each runner's runs get unless {@code --jvm-option} gives it some: the ones
   * the README recommends for a 1,000,000-event batch on a small machine. Flink embedded: a heap
   * of 1 GB, the C1 compiler only (C2 would spend about a quarter of two cores compiling during a
   * one-minute batch) and the throughput collector (no concurrent marking while the writers'
   * open files fill the heap). Direct and Spark: the heap each needs for such a batch.
   */
  static final Map<String, List<String>> DEFAULT_JVM_OPTIONS = Map.of(
      "flink", List.of(FLINK_JVM_OPTIONS.split(" ")),
      "direct", List.of(DIRECT_JVM_OPTIONS.split(" ")),
      "spark", List.of(SPARK_JVM_OPTIONS.split(" ")));

  /**
   * The JVM options of {@code runner}'s runs: the plain ones and those for it by name, or its
   * defaults when {@code options} has none for it.
   */
  static List<String> jvmOptionsFor(String runner, List<String> options) {
    List<String> mine = new ArrayList<>();
    for (String o : options) {
      int colon = o.indexOf(':');
      String prefix = colon < 0 ? "" : o.substring(0, colon);
      if (RUNNERS.contains(prefix)) {
        if (prefix.equals(runner)) {
          mine.add(o.substring(colon + 1));
        }
      } else {
        mine.add(o);
      }
    }
    return mine.isEmpty() ? DEFAULT_JVM_OPTIONS.getOrDefault(runner, List.of()) : mine;
  }

  private static final List<String> RUNNERS = List.of("direct", "flink", "spark");

  @Option(names = "--class-archive", negatable = true, defaultValue = "true",
      fallbackValue = "true",
      description = "Run each runner with a class-data archive of this jar (the JDK's AppCDS),"
          + " made once per jar and runner by a short training run: classes are mapped from the"
          + " archive instead of being read from the jar and verified. --no-class-archive runs"
          + " without. Default: with.")
  boolean classArchive;

  /** The file in a run's directory where the run reports its peak heap ({@code floe.report}). */
  private static final String JVM_REPORT = "jvm.json";

  /** Events of the training run that makes a runner's class archive. */
  private static final int TRAINING_EVENTS = 20_000;

  /**
   * Where the class archive of {@code runner}'s runs of {@code jar} lives: the name carries the
   * jar's size and modification time, so a rebuilt jar gets a new archive (the JVM would ignore
   * one that no longer matches its jar, with a warning).
   */
  static Path classArchivePath(Path workDir, String runner, Path jar) throws IOException {
    return workDir.resolve("class-archives").resolve(runner + "-" + Files.size(jar) + "-"
        + Files.getLastModifiedTime(jar).toMillis() + ".jsa").toAbsolutePath();
  }

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (micro != null) {
      Path pipeline = extract("pipelines/cloudevents-append.yaml");
      PipelineSpec spec = new SpecLoader(name -> null).load(pipeline, List.of());
      return new HotPathBench(spec, micro, workDir.resolve("micro"), System.out)
          .run(2, Math.max(5, repeat));
    }
    List<String> runners = runner.equals("all") ? RUNNERS : List.of(runner.split(","));
    for (String r : runners) {
      if (!RUNNERS.contains(r)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--runner: '" + r + "' is not direct, flink or spark");
      }
    }
    Path jar = runningJar();
    Files.createDirectories(workDir);
    Path pipeline = extract("pipelines/cloudevents-append.yaml");
    Map<String, Path> profiles = new HashMap<>();
    for (String r : runners) {
      profiles.put(r, extract("runner-profiles/" + (r.equals("direct") ? "direct" : r + "-local")
          + ".yaml"));
    }
    PrintStream out = System.out;
    LocalKafka local = null;
    try {
      if (bootstrap == null) {
        local = LocalKafka.start();
        bootstrap = local.bootstrapServers();
      }
      String topic = "bench-cloudevents-" + events + "-" + partitions;
      long valueBytes = ensureTopic(topic, out);
      Map<String, Path> archives = new HashMap<>();
      if (classArchive) {
        for (String r : runners) {
          archives.put(r, trainClassArchive(jar, pipeline, profiles.get(r), r, topic, out));
        }
      }
      List<ObjectNode> results = new ArrayList<>();
      for (int i = 1; i <= repeat; i++) {
        for (String r : runners) {
          ObjectNode result = runOnce(jar, pipeline, profiles.get(r), r, archives.get(r), i,
              topic, valueBytes);
          out.println(json.writeValueAsString(result));
          results.add(result);
        }
        for (Map.Entry<String, String> peer : peers.entrySet()) {
          ObjectNode result = runPeer(peer.getKey(), peer.getValue(), i, topic, valueBytes);
          out.println(json.writeValueAsString(result));
          results.add(result);
        }
      }
      List<String> names = new ArrayList<>(runners);
      names.addAll(peers.keySet());
      printTable(results, names, out);
      return results.stream().allMatch(r -> r.path("ok").asBoolean()) ? 0 : Main.RUN_FAILED;
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /** The topic with exactly {@code events} events, produced now if it is not there yet. */
  private long ensureTopic(String topic, PrintStream out) throws Exception {
    long valueBytes = 0;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      boolean exists = admin.listTopics().names().get().contains(topic);
      long present = exists ? endOffsetSum(admin, topic) : 0;
      if (exists && present != events) {
        throw new IllegalStateException("topic " + topic + " holds " + present + " records, not "
            + events + ": delete it or use another broker");
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
        List<SampleEvents.Event> chunk = SampleEvents.generate(
            SampleEvents.Shape.BENCH, topic, first, n, from, span, first);
        for (SampleEvents.Event e : chunk) {
          valueBytes += e.record().value().length;
        }
        if (!exists) {
          SampleEvents.produce(bootstrap, chunk);
        }
      }
      out.printf("%s %s: %,d events, %,d partitions, %.1f MB of values%s%n",
          exists ? "reusing" : "produced", topic, events, partitions, valueBytes / 1e6,
          exists ? "" : String.format(" in %.1f s", (System.nanoTime() - started) / 1e9));
    }
    return valueBytes;
  }

  private static long endOffsetSum(Admin admin, String topic) throws Exception {
    int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
        .partitions().size();
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < count; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(specs).all().get().values().stream()
        .mapToLong(i -> i.offset()).sum();
  }

  /**
   * The class archive for {@code runnerName}'s runs: the one this jar already has, or one made
   * now by a run of {@value #TRAINING_EVENTS} events ({@code -XX:ArchiveClassesAtExit}); null,
   * with a line saying why, when the training run fails (the runs then go without).
   */
  private Path trainClassArchive(Path jar, Path pipeline, Path profile, String runnerName,
      String topic, PrintStream out) throws Exception {
    Path archive = classArchivePath(workDir, runnerName, jar);
    if (Files.exists(archive)) {
      return archive;
    }
    Files.createDirectories(archive.getParent());
    Path dir = workDir.resolve(runnerName + "-training");
    List<String> jvm = new ArrayList<>(jvmOptionsFor(runnerName, jvmOptions));
    jvm.add("-XX:ArchiveClassesAtExit=" + archive);
    List<String> command = runCommand(jar, pipeline, profile, jvm, topic, dir);
    command.addAll(List.of("--max-records-per-batch", String.valueOf(TRAINING_EVENTS)));
    Measured m = measure(command, dir.resolve("run.log"), null);
    if (m.exit() != 0 || !Files.exists(archive)) {
      out.printf("class archive for %s: the training run failed (exit %d, see %s); its runs go"
          + " without one%n", runnerName, m.exit(), dir.resolve("run.log"));
      Files.deleteIfExists(archive);
      return null;
    }
    out.printf("class archive for %s: %s, %,d MB, made in %.1f s by a run of %,d events%n",
        runnerName, archive, Files.size(archive) >> 20, m.wallSeconds(), TRAINING_EVENTS);
    return archive;
  }

  /** The command line of one run of the pipeline into a fresh warehouse under {@code dir}. */
  private List<String> runCommand(Path jar, Path pipeline, Path profile, List<String> jvm,
      String topic, Path dir) throws IOException {
    deleteRecursively(dir);
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvm);
    command.addAll(List.of("-Dfloe.report=" + dir.resolve(JVM_REPORT), "-jar", jar.toString(),
        "run", pipeline.toString(), "--profile", profile.toString(),
        "--set", "inputs[0].kafka.bootstrapServers=" + bootstrap,
        "--set", "inputs[0].kafka.topic=" + topic,
        "--set", "outputs[0].catalog.warehouse=" + dir.resolve("warehouse"),
        "--set", "streaming.checkpointLocation=" + dir.resolve("checkpoints"),
        "--set", "explain=false"));
    return command;
  }

  private ObjectNode runOnce(Path jar, Path pipeline, Path profile, String runnerName,
      Path archive, int round, String topic, long valueBytes) throws Exception {
    Path dir = workDir.resolve(runnerName + "-" + round);
    Path report = dir.resolve(JVM_REPORT);
    List<String> jvm = new ArrayList<>(jvmOptionsFor(runnerName, jvmOptions));
    if (archive != null) {
      jvm.addAll(ARCHIVE_AT_ITS_ADDRESS);
      jvm.add("-XX:SharedArchiveFile=" + archive);
    }
    List<String> command = runCommand(jar, pipeline, profile, jvm, topic, dir);
    ObjectNode r = json.createObjectNode();
    r.put("runner", runnerName);
    r.put("round", round);
    r.put("events", events);
    r.put("jvm_options", String.join(" ", jvm));
    Measured m = measure(command, dir.resolve("run.log"), null);
    double wall = m.wallSeconds();
    r.put("exit", m.exit());
    r.put("wall_s", round2(wall));
    Path audit = dir.resolve("checkpoints/batches.jsonl");
    double batch = 0;
    double commit = 0;
    if (Files.exists(audit)) {
      for (String line : Files.readAllLines(audit)) {
        JsonNode b = json.readTree(line);
        batch += b.path("seconds").asDouble();
        commit += b.path("commit_seconds").asDouble();
      }
    }
    r.put("startup_s", round2(wall - batch));
    r.put("read_decode_write_s", round2(batch - commit));
    r.put("commit_s", round2(commit));
    r.put("peak_rss_mb", m.peakRssKib() / 1024);
    if (Files.exists(report)) {
      r.put("peak_heap_mb", json.readTree(report.toFile()).path("peak_heap_bytes").asLong() >> 20);
    }
    long rows = 0;
    long files = 0;
    long bytes = 0;
    Path warehouse = dir.resolve("warehouse");
    if (Files.exists(warehouse)) {
      HadoopCatalog catalog =
          new HadoopCatalog(Catalogs.hadoopConfiguration(), warehouse.toUri().toString());
      TableIdentifier id = TableIdentifier.of("sys01", "cloudevents");
      if (catalog.tableExists(id)) {
        Table t = catalog.loadTable(id);
        for (Snapshot s : t.snapshots()) {
          files += Long.parseLong(s.summary().getOrDefault("added-data-files", "0"));
          bytes += Long.parseLong(s.summary().getOrDefault("added-files-size", "0"));
        }
        if (t.currentSnapshot() != null) {
          rows = Long.parseLong(t.currentSnapshot().summary().getOrDefault("total-records", "0"));
        }
      }
    }
    r.put("rows", rows);
    r.put("data_files", files);
    r.put("bytes_written_mb", round2(bytes / 1e6));
    putRates(r, m.exit() == 0 && rows == events, wall, valueBytes);
    r.put("log", dir.resolve("run.log").toString());
    return r;
  }

  /** A finished child process: exit code, wall seconds, its peak RSS. */
  private record Measured(int exit, double wallSeconds, long peakRssKib) {}

  /**
   * Runs a command to its end, its output to {@code log}, polling the peak resident set of the
   * process every 100 ms. Its children are left out: the peers' scripts {@code exec} their JVM,
   * and a JVM's own short-lived children (Hadoop runs shell commands) share its memory until they
   * exec, so their high-water marks would count the JVM twice.
   */
  private static Measured measure(List<String> command, Path log, Path stdout) throws Exception {
    ProcessBuilder b = new ProcessBuilder(command);
    if (stdout == null) {
      b.redirectErrorStream(true).redirectOutput(log.toFile());
    } else {
      b.redirectError(log.toFile()).redirectOutput(stdout.toFile());
    }
    long started = System.nanoTime();
    Process p = b.start();
    long peakRss = 0;
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      peakRss = Math.max(peakRss, rssPeak(p.pid()));
    }
    return new Measured(p.exitValue(), (System.nanoTime() - started) / 1e9, peakRss);
  }

  /**
   * One run of a peer: {@code COMMAND --bootstrap B --topic T --warehouse DIR --table
   * sys01.events}; its last stdout line is JSON with {@code records}, {@code seconds} (its own
   * measure of engine start to commit) and {@code data_files}. Wall time is measured here, as
   * for Floe's runs, so a peer's build or script start-up counts as Floe's JVM start does.
   */
  private ObjectNode runPeer(String name, String command, int round, String topic,
      long valueBytes) throws Exception {
    Path dir = workDir.resolve(name + "-" + round);
    deleteRecursively(dir);
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of(command.split(" ")));
    cmd.addAll(List.of("--bootstrap", bootstrap, "--topic", topic,
        "--warehouse", dir.resolve("warehouse").toAbsolutePath().toString(),
        "--table", "sys01.events"));
    Path stdout = dir.resolve("result.txt");
    Measured m = measure(cmd, dir.resolve("run.log"), stdout);
    ObjectNode r = json.createObjectNode();
    r.put("runner", name);
    r.put("round", round);
    r.put("events", events);
    r.put("exit", m.exit());
    r.put("wall_s", round2(m.wallSeconds()));
    JsonNode last = null;
    for (String line : Files.readAllLines(stdout)) {
      if (line.trim().startsWith("{")) {
        last = json.readTree(line);
      }
    }
    long rows = last == null ? 0 : last.path("records").asLong();
    if (last != null) {
      double own = last.path("seconds").asDouble();
      double ingest = last.path("ingest_seconds").asDouble(own);
      r.put("startup_s", round2(m.wallSeconds() - ingest));
      r.put("read_decode_write_s", round2(ingest));
      r.put("peer_seconds", own);
    }
    r.put("peak_rss_mb", m.peakRssKib() / 1024);
    r.put("rows", rows);
    r.put("data_files", last == null ? 0 : last.path("data_files").asLong());
    putRates(r, m.exit() == 0 && rows == events, m.wallSeconds(), valueBytes);
    r.put("log", dir.resolve("run.log").toString());
    return r;
  }

  /**
   * Whether the run landed every event, and its rates: records/s and MB/s of Kafka values over
   * its wall time, 0 for a run that failed or lost rows (it did not do the job).
   */
  private void putRates(ObjectNode r, boolean ok, double wall, long valueBytes) {
    r.put("records_per_s", ok ? Math.round(events / wall) : 0);
    r.put("value_mb_per_s", ok ? round2(valueBytes / 1e6 / wall) : 0);
    r.put("ok", ok);
  }

  private void printTable(List<ObjectNode> results, List<String> runners, PrintStream out) {
    String[] columns = {"wall_s", "startup_s", "read_decode_write_s", "commit_s", "records_per_s",
        "value_mb_per_s", "peak_heap_mb", "peak_rss_mb", "data_files", "bytes_written_mb"};
    out.printf("%nmedians of %d run(s) per runner, %,d events, %d partitions%n", repeat, events,
        partitions);
    StringBuilder header = new StringBuilder(String.format("%-8s", "runner"));
    for (String c : columns) {
      header.append(String.format(" %20s", c));
    }
    out.println(header);
    for (String r : runners) {
      StringBuilder row = new StringBuilder(String.format("%-8s", r));
      List<ObjectNode> mine = results.stream().filter(x -> x.path("runner").asText().equals(r))
          .toList();
      for (String c : columns) {
        row.append(String.format(" %20s", median(mine.stream()
            .map(x -> x.path(c).asDouble()).collect(Collectors.toList()))));
      }
      if (mine.stream().anyMatch(x -> !x.path("ok").asBoolean())) {
        row.append("  (a run failed or lost rows: see its log)");
      }
      out.println(row);
    }
  }

  static String median(List<Double> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(round2(m));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** VmHWM (peak resident set) of a process in KiB, from /proc; 0 where there is none. */
  private static long rssPeak(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process ended between polls, or this is not Linux
    }
    return 0;
  }

  private static Path runningJar() {
    try {
      Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
        return self;
      }
    } catch (Exception e) {
      // not from a jar
    }
    throw new IllegalStateException("bench runs each measurement as java -jar of the jar it runs"
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

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Used by {@link Main}: with {@code -Dfloe.report=FILE}, writes the JVM's peak heap at exit. */
  static void reportAtExit() {
    String file = System.getProperty("floe.report");
    if (file == null) {
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long peak = 0;
      for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("peak_heap_bytes", peak);
      try {
        new ObjectMapper().writeValue(new File(file), report);
      } catch (IOException e) {
        // a measurement aid: never fail the run for it
      }
    }));
  }
}
