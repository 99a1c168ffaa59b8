package dev.floe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.demo.SampleEvents;
import dev.floe.table.Catalogs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --continuous}: a continuous run (or a peer's streaming run) while events arrive at a
 * fixed rate, each on a fresh topic and warehouse; the table is then read back for every row's
 * freshness (see {@link Freshness}). Runs are one after the other, never side by side: on a small
 * machine two streaming jobs would measure each other.
 */
final class ContinuousBench {
  private static final Logger LOG = LoggerFactory.getLogger(ContinuousBench.class);

  /**
   * What a streaming run needs past the produced time: its start and first commit (the trickle),
   * and its last windows. A run that has not caught up by then leaves the rest in the topic.
   */
  private static final Duration RUN_MARGIN = Duration.ofSeconds(60);

  /** How a continuous measurement is run. */
  record Settings(
      Duration trigger,
      Duration producing,
      Duration warmUp,
      int partitions,
      String compression,
      List<String> jvmOptions) {}

  private final Path jar;
  private final Path workDir;
  private final String bootstrap;
  private final Settings settings;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();

  ContinuousBench(Path jar, Path workDir, String bootstrap, Settings settings, PrintStream out) {
    this.jar = jar;
    this.workDir = workDir;
    this.bootstrap = bootstrap;
    this.settings = settings;
    this.out = out;
  }

  /**
   * Floe on {@code runner} ({@code profile}) with the append pipeline, in continuous mode.
   *
   * @param archive the runner's class archive; null for none
   */
  ObjectNode floe(String runner, Path pipeline, Path profile, Path archive, int rate)
      throws Exception {
    Path dir = freshDirectory(runner, rate);
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // a standing job runs with what the docs tell users, not bench's batch options
    command.addAll(
        settings.jvmOptions().isEmpty()
            ? List.of("-Xmx2g")
            : JvmOptions.jvmOptionsFor(runner, settings.jvmOptions()));
    if (archive != null) {
      command.addAll(JvmOptions.mapArchive(archive));
    }
    String topic = topic(runner, rate);
    command.addAll(ChildRuns.runArguments(jar, pipeline, profile, bootstrap, topic, dir));
    command.addAll(
        List.of(
            "--trigger",
            "processing-time",
            "--trigger-duration",
            settings.trigger().toSeconds() + "s",
            "--max-read-time",
            runSeconds() + "s"));
    return measure(runner, rate, topic, command, dir, TableIdentifier.of("sys01", "cloudevents"));
  }

  /**
   * A peer's streaming run: {@code COMMAND --bootstrap B --topic T --warehouse DIR --table
   * sys01.events --trigger-duration Ns --run-seconds N}.
   */
  ObjectNode peer(String name, String peerCommand, int rate) throws Exception {
    Path dir = freshDirectory(name, rate);
    String topic = topic(name, rate);
    List<String> command = ChildRuns.peerCommand(peerCommand, bootstrap, topic, dir);
    command.addAll(
        List.of(
            "--trigger-duration",
            settings.trigger().toSeconds() + "s",
            "--run-seconds",
            String.valueOf(runSeconds())));
    return measure(name, rate, topic, command, dir, TableIdentifier.of("sys01", "events"));
  }

  private long runSeconds() {
    return settings.producing().plus(RUN_MARGIN).toSeconds();
  }

  private Path freshDirectory(String system, int rate) throws Exception {
    Path dir = workDir.resolve("continuous-" + system + "-" + rate);
    ChildRuns.deleteRecursively(dir);
    Files.createDirectories(dir);
    return dir;
  }

  /** A topic of its own per run: each run starts from an empty topic and an empty table. */
  private String topic(String system, int rate) throws Exception {
    String topic = "bench-continuous-" + system + "-" + rate + "-" + System.currentTimeMillis();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, settings.partitions(), (short) 1)))
          .all()
          .get();
    }
    return topic;
  }

  /**
   * Feeds a trickle of events until the run has committed its first window: the measurement is of a
   * running job (its start is the same with every rate), and the trickle is left out of it.
   */
  private int awaitFirstCommit(Process run, String topic, Path dir, TableIdentifier id)
      throws Exception {
    HadoopCatalog catalog = warehouse(dir);
    long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    int sent = 0;
    while (!catalog.tableExists(id) || catalog.loadTable(id).currentSnapshot() == null) {
      if (!run.isAlive() || System.nanoTime() > until) {
        throw new IllegalStateException(
            "the run committed nothing within 5 minutes (alive: "
                + run.isAlive()
                + "); see "
                + dir.resolve("run.log"));
      }
      SampleEvents.produce(
          bootstrap,
          SampleEvents.generate(
              SampleEvents.Shape.BENCH, topic, sent, 10, Instant.now(), Duration.ofSeconds(1), 0));
      sent += 10;
      Thread.sleep(1_000);
    }
    LOG.info("{}: first window committed after {} trickle events", topic, sent);
    return sent;
  }

  /** The Hadoop catalog of the run's warehouse under {@code dir}. */
  private static HadoopCatalog warehouse(Path dir) {
    return new HadoopCatalog(
        Catalogs.hadoopConfiguration(), dir.resolve("warehouse").toUri().toString());
  }

  private ObjectNode measure(
      String system, int rate, String topic, List<String> command, Path dir, TableIdentifier id)
      throws Exception {
    out.printf(
        "continuous %s at %,d events/s for %d s (trigger %d s)%n",
        system, rate, settings.producing().toSeconds(), settings.trigger().toSeconds());
    LOG.debug("{}: {}", system, command);
    Process run =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile())
            .start();
    PacedProducer.Produced produced;
    int trickle;
    try {
      trickle = awaitFirstCommit(run, topic, dir, id);
      produced =
          PacedProducer.run(bootstrap, topic, rate, settings.producing(), settings.compression());
    } catch (RuntimeException | InterruptedException e) {
      run.destroyForcibly();
      throw e;
    }
    if (!run.waitFor(runSeconds() + 300, TimeUnit.SECONDS)) {
      run.destroyForcibly();
    }
    int exit = run.isAlive() ? -1 : run.exitValue();
    ObjectNode r = json.createObjectNode();
    r.put("system", system);
    r.put("mode", "continuous");
    r.put("rate", rate);
    r.put("trigger_s", settings.trigger().toSeconds());
    r.put("produced", produced.events());
    r.put("trickle", trickle);
    r.put("produced_per_s", Math.round(produced.ratePerSecond()));
    r.put("exit", exit);
    HadoopCatalog catalog = warehouse(dir);
    if (catalog.tableExists(id)) {
      Table table = catalog.loadTable(id);
      Freshness f =
          Freshness.of(
              table, produced.startedMs() + settings.warmUp().toMillis(), produced.endedMs());
      r.put("rows", f.rows());
      r.put("measured_rows", f.measured());
      r.put("freshness_p50_s", f.p50Ms() / 1000.0);
      r.put("freshness_p95_s", f.p95Ms() / 1000.0);
      r.put("freshness_max_s", f.maxMs() / 1000.0);
      r.put("first_half_p95_s", f.firstHalfP95Ms() / 1000.0);
      r.put("second_half_p95_s", f.secondHalfP95Ms() / 1000.0);
      r.put("snapshots", f.snapshots());
      r.put("last_commit_after_produced_s", f.lastCommitAfterProducedMs() / 1000.0);
      r.put("kept_up", f.keptUp(settings.trigger().toMillis()));
      // what a bounded run had not read when it stopped stays in the topic for the next run
      long unread = produced.events() + trickle - f.rows();
      r.put("left_in_topic", unread);
      r.put("ok", exit == 0 && unread >= 0);
    } else {
      r.put("rows", 0);
      r.put("ok", false);
    }
    r.put("log", dir.resolve("run.log").toString());
    return r;
  }

  /** One line per run: what a reader compares across systems and rates. */
  static void printTable(List<ObjectNode> results, PrintStream out) {
    out.println();
    out.println(
        "| system | rate (events/s) | trigger | rows | freshness p50 | p95 | max | kept up |"
            + " last commit after the last event | snapshots |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (ObjectNode r : results) {
      out.printf(
          java.util.Locale.ROOT,
          "| %s | %,d (sent %,d) | %d s | %,d%s | %.1f s | %.1f s | %.1f s | %s | %.1f s | %d |%n",
          r.path("system").asText(),
          r.path("rate").asInt(),
          r.path("produced_per_s").asLong(),
          r.path("trigger_s").asInt(),
          r.path("rows").asLong(),
          !r.path("ok").asBoolean()
              ? " (FAILED: exit " + r.path("exit").asInt() + ")"
              : r.path("left_in_topic").asLong() > 0
                  ? String.format(
                      java.util.Locale.ROOT,
                      " (%,d left in the topic)",
                      r.path("left_in_topic").asLong())
                  : "",
          r.path("freshness_p50_s").asDouble(),
          r.path("freshness_p95_s").asDouble(),
          r.path("freshness_max_s").asDouble(),
          r.path("kept_up").asBoolean() ? "yes" : "no",
          r.path("last_commit_after_produced_s").asDouble(),
          r.path("snapshots").asInt());
    }
  }
}
