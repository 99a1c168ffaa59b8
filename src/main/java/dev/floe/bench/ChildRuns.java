package dev.floe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.table.Catalogs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bench's measured runs: each a fresh {@code java -jar} process (or a peer's command) writing a
 * fresh warehouse, measured from outside (wall clock, peak RSS) and from its audit log and table.
 */
final class ChildRuns {
  private static final Logger LOG = LoggerFactory.getLogger(ChildRuns.class);
  private final Path workDir;
  private final String bootstrap;
  private final int events;
  private final List<String> jvmOptions;
  private final ObjectMapper json = new ObjectMapper();

  ChildRuns(Path workDir, String bootstrap, int events, List<String> jvmOptions) {
    this.workDir = workDir;
    this.bootstrap = bootstrap;
    this.events = events;
    this.jvmOptions = jvmOptions;
  }

  /** The file in a run's directory where the run reports its peak heap ({@link PeakHeapReport}). */
  private static final String JVM_REPORT = "jvm.json";

  /** Events of the training run that makes a runner's class archive. */
  static final int TRAINING_EVENTS = 20_000;

  /**
   * Where the class archive of {@code runner}'s runs of {@code jar} lives: the name carries the
   * jar's size and modification time, so a rebuilt jar gets a new archive (the JVM would ignore one
   * that no longer matches its jar, with a warning).
   */
  static Path classArchivePath(Path workDir, String runner, Path jar) throws IOException {
    return workDir
        .resolve("class-archives")
        .resolve(
            runner
                + "-"
                + Files.size(jar)
                + "-"
                + Files.getLastModifiedTime(jar).toMillis()
                + ".jsa")
        .toAbsolutePath();
  }

  /**
   * The class archive for {@code runnerName}'s runs: the one this jar already has, or one made now
   * by a run of {@value #TRAINING_EVENTS} events ({@code -XX:ArchiveClassesAtExit}); null, with a
   * line saying why, when the training run fails (the runs then go without).
   */
  Path trainClassArchive(
      Path jar, Path pipeline, Path profile, String runnerName, String topic, PrintStream out)
      throws Exception {
    Path archive = classArchivePath(workDir, runnerName, jar);
    if (Files.exists(archive)) {
      return archive;
    }
    Files.createDirectories(archive.getParent());
    Path dir = workDir.resolve(runnerName + "-training");
    List<String> jvm = new ArrayList<>(JvmOptions.jvmOptionsFor(runnerName, jvmOptions));
    jvm.add("-XX:ArchiveClassesAtExit=" + archive);
    // no peak-heap agent here: the JVM refuses to write a class archive while an agent runs
    List<String> command = runCommand(jar, pipeline, profile, jvm, topic, dir);
    command.addAll(List.of("--max-records-per-batch", String.valueOf(TRAINING_EVENTS)));
    Measured m = measure(command, dir.resolve("run.log"), null);
    if (m.exit() != 0 || !Files.exists(archive)) {
      out.printf(
          "class archive for %s: the training run failed (exit %d, see %s); its runs go"
              + " without one%n",
          runnerName, m.exit(), dir.resolve("run.log"));
      Files.deleteIfExists(archive);
      return null;
    }
    out.printf(
        "class archive for %s: %s, %,d MB, made in %.1f s by a run of %,d events%n",
        runnerName, archive, Files.size(archive) >> 20, m.wallSeconds(), TRAINING_EVENTS);
    return archive;
  }

  /** The command line of one run of the pipeline into a fresh warehouse under {@code dir}. */
  private List<String> runCommand(
      Path jar, Path pipeline, Path profile, List<String> jvm, String topic, Path dir)
      throws IOException {
    deleteRecursively(dir);
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvm);
    command.addAll(runArguments(jar, pipeline, profile, bootstrap, topic, dir));
    return command;
  }

  /**
   * {@code -jar JAR run PIPELINE --profile PROFILE}, reading {@code topic} at {@code bootstrap}
   * into a warehouse and checkpoint location under {@code dir}, without explain.
   */
  static List<String> runArguments(
      Path jar, Path pipeline, Path profile, String bootstrap, String topic, Path dir) {
    return List.of(
        "-jar",
        jar.toString(),
        "run",
        pipeline.toString(),
        "--profile",
        profile.toString(),
        "--set",
        "inputs[0].kafka.bootstrapServers=" + bootstrap,
        "--set",
        "inputs[0].kafka.topic=" + topic,
        "--set",
        "outputs[0].catalog.warehouse=" + dir.resolve("warehouse"),
        "--set",
        "streaming.checkpointLocation=" + dir.resolve("checkpoints"),
        "--set",
        "explain=false");
  }

  ObjectNode runOnce(
      Path jar,
      Path pipeline,
      Path profile,
      String runnerName,
      Path archive,
      int round,
      String topic,
      long valueBytes)
      throws Exception {
    Path dir = workDir.resolve(runnerName + "-" + round);
    Path report = dir.resolve(JVM_REPORT);
    List<String> jvm = new ArrayList<>(JvmOptions.jvmOptionsFor(runnerName, jvmOptions));
    if (archive != null) {
      jvm.addAll(JvmOptions.mapArchive(archive));
    }
    jvm.add("-javaagent:" + jar + "=" + report);
    List<String> command = runCommand(jar, pipeline, profile, jvm, topic, dir);
    ObjectNode r = json.createObjectNode();
    r.put("runner", runnerName);
    r.put("round", round);
    r.put("events", events);
    r.put("jvm_options", String.join(" ", jvm));
    Measured m = measure(command, dir.resolve("run.log"), null);
    double wall = m.wallSeconds();
    r.put("exit", m.exit());
    r.put("wall_s", BenchTable.round2(wall));
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
    r.put("startup_s", BenchTable.round2(wall - batch));
    r.put("read_decode_write_s", BenchTable.round2(batch - commit));
    r.put("commit_s", BenchTable.round2(commit));
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
    r.put("bytes_written_mb", BenchTable.round2(bytes / 1e6));
    putRates(r, m.exit() == 0 && rows == events, wall, valueBytes);
    r.put("log", dir.resolve("run.log").toString());
    return r;
  }

  /** A finished child process: exit code, wall seconds, its peak RSS. */
  private record Measured(int exit, double wallSeconds, long peakRssKib) {}

  /**
   * Runs a command to its end, its output to {@code log}, polling the peak resident set of the
   * process every 100 ms. Its children are left out: the peers' scripts {@code exec} their JVM, and
   * a JVM's own short-lived children (Hadoop runs shell commands) share its memory until they exec,
   * so their high-water marks would count the JVM twice.
   */
  private static Measured measure(List<String> command, Path log, Path stdout) throws Exception {
    ProcessBuilder b = new ProcessBuilder(command);
    if (stdout == null) {
      b.redirectErrorStream(true).redirectOutput(log.toFile());
    } else {
      b.redirectError(log.toFile()).redirectOutput(stdout.toFile());
    }
    flushPageCache();
    long started = System.nanoTime();
    Process p = b.start();
    long peakRss = 0;
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      peakRss = Math.max(peakRss, rssPeak(p.pid()));
    }
    return new Measured(p.exitValue(), (System.nanoTime() - started) / 1e9, peakRss);
  }

  /**
   * Writes out what the page cache holds for the disk (the topic just produced, the previous run's
   * warehouse, a class archive) before a run starts, outside its measured time. Otherwise the
   * kernel writes it out during whichever run comes next, and that run pays for someone else's
   * files. Where there is no {@code sync} command the run starts without it.
   */
  private static void flushPageCache() throws InterruptedException {
    long started = System.nanoTime();
    try {
      Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
      if (!sync.waitFor(2, TimeUnit.MINUTES)) {
        sync.destroy();
        LOG.warn("sync did not finish in 2 minutes; measuring without waiting for it");
        return;
      }
    } catch (IOException e) {
      LOG.debug("no sync command ({}); the run starts with the page cache as it is", e.toString());
      return;
    }
    LOG.debug("page cache written out in {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * One run of a peer: {@code COMMAND --bootstrap B --topic T --warehouse DIR --table
   * sys01.events}; its last stdout line is JSON with {@code records}, {@code seconds} (its own
   * measure of engine start to commit) and {@code data_files}. Wall time is measured here, as for
   * Floe's runs, so a peer's build or script start-up counts as Floe's JVM start does.
   */
  ObjectNode runPeer(String name, String command, int round, String topic, long valueBytes)
      throws Exception {
    Path dir = workDir.resolve(name + "-" + round);
    deleteRecursively(dir);
    Files.createDirectories(dir);
    List<String> cmd = peerCommand(command, bootstrap, topic, dir);
    Path stdout = dir.resolve("result.txt");
    Measured m = measure(cmd, dir.resolve("run.log"), stdout);
    ObjectNode r = json.createObjectNode();
    r.put("runner", name);
    r.put("round", round);
    r.put("events", events);
    r.put("exit", m.exit());
    r.put("wall_s", BenchTable.round2(m.wallSeconds()));
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
      r.put("startup_s", BenchTable.round2(m.wallSeconds() - ingest));
      r.put("read_decode_write_s", BenchTable.round2(ingest));
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
   * A peer's command line: {@code COMMAND --bootstrap B --topic T --warehouse DIR/warehouse --table
   * sys01.events}, to which a caller may add more.
   */
  static List<String> peerCommand(String command, String bootstrap, String topic, Path dir) {
    List<String> cmd = new ArrayList<>(List.of(command.split(" ")));
    cmd.addAll(
        List.of(
            "--bootstrap",
            bootstrap,
            "--topic",
            topic,
            "--warehouse",
            dir.resolve("warehouse").toAbsolutePath().toString(),
            "--table",
            "sys01.events"));
    return cmd;
  }

  /**
   * Whether the run landed every event, and its rates: records/s and MB/s of Kafka values over its
   * wall time, 0 for a run that failed or lost rows (it did not do the job).
   */
  private void putRates(ObjectNode r, boolean ok, double wall, long valueBytes) {
    r.put("records_per_s", ok ? Math.round(events / wall) : 0);
    r.put("value_mb_per_s", ok ? BenchTable.round2(valueBytes / 1e6 / wall) : 0);
    r.put("ok", ok);
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
}
